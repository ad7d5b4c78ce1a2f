// The real built `cred-supervisor watch` supervising a real AWS SDK v3 child
// (test/fixtures/sdk-child.mjs: default credential chain, one STS call every INTERVAL_MS, prints the
// key that signed each call) against the fake STS. What reaches the child comes through the
// supervisor's credential endpoint only: a decoy `[default]` key in ~/.aws and decoy keys in the
// supervisor's own environment are both valid at the fake, so a child that used them would be seen.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type FakeSts, type FakeStsKey, useFakeSts } from '../support/fake-sts.js';
import { startWatch, type WatchPlace, type WatchSession } from '../support/watch-session.js';
import { createProject, masked, type Project } from './project.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/sdk-child.mjs', import.meta.url));
// Short so each rotation lands in a fraction of a second; production advertises 60 s.
const LEASE_MS = 150;
const INTERVAL_MS = 100;
const EVERY_SECOND = '* * * * * *';

let sts: FakeSts;
useFakeSts((started) => {
  sts = started;
});

interface Setup {
  project: Project;
  watch: WatchSession<WatchPlace>;
  decoys: FakeStsKey[];
}

async function superviseSdkChild(first: FakeStsKey, checkSchedule: string): Promise<Setup> {
  const homeDecoy = sts.issueKey();
  const shellDecoy = sts.issueKey();
  const project = await createProject({ decoy: homeDecoy, stsUrl: sts.url });
  await project.writeCredentials(first);
  const watch = startWatch(
    {
      ...project,
      env: {
        ...project.env,
        AWS_REGION: 'us-east-1',
        CRED_SUPERVISOR_LEASE_MS: String(LEASE_MS),
        SDK_CHILD_INTERVAL_MS: String(INTERVAL_MS),
        // The person's shell has keys of its own: the supervisor must not pass them on.
        AWS_ACCESS_KEY_ID: shellDecoy.accessKeyId,
        AWS_SECRET_ACCESS_KEY: shellDecoy.secretAccessKey,
        AWS_SESSION_TOKEN: shellDecoy.sessionToken,
      },
    },
    {
      command: null,
      args: ['--log-level', 'debug', '--check-schedule', checkSchedule, '--', process.execPath, FIXTURE],
    },
  );
  await watch.waitFor((o) => o.includes(callOk(first)), 'the child signing with key 1');
  return { project, watch, decoys: [homeDecoy, shellDecoy] };
}

function callOk(key: FakeStsKey): string {
  return `CALL ok account=${key.account} key=${masked(key.accessKeyId)}`;
}

function readyPids(output: string): number[] {
  return [...output.matchAll(/^READY pid=(\d+)$/gm)].map((m) => Number(m[1]));
}

/** No secret the fake ever issued appears in what the supervisor and its child printed. */
function expectNoSecrets(output: string): void {
  for (const key of sts.keys.values()) {
    expect(output).not.toContain(key.secretAccessKey);
    if (key.sessionToken) expect(output).not.toContain(key.sessionToken);
  }
}

describe('watch -- node sdk-child.mjs (endpoint delivery, built CLI)', () => {
  it('a rewritten credentials file reaches the running child: same pid, key 2, decoys never used', async () => {
    const key1 = sts.issueKey();
    const key2 = sts.issueKey();
    const { project, watch, decoys } = await superviseSdkChild(key1, EVERY_SECOND);
    const [pid] = readyPids(watch.output);

    // What the child was given: the endpoint and the token's file, not keys and not the token.
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const token = readFileSync(path.join(project.dir, '.cred-supervisor', 'endpoint.token'), 'utf8');
    expect(environ).toContain(
      `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${path.join(project.dir, '.cred-supervisor', 'endpoint.token')}`,
    );
    expect(environ.find((v) => v.startsWith('AWS_CONTAINER_CREDENTIALS_FULL_URI='))).toMatch(
      /^AWS_CONTAINER_CREDENTIALS_FULL_URI=http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}$/,
    );
    expect(environ.join('\n')).not.toContain(token);
    expect(
      environ.filter((v) => v.startsWith('AWS_ACCESS_KEY_ID=') || v.startsWith('AWS_SESSION_TOKEN=')),
    ).toEqual([]);

    await project.writeCredentials(key2);
    await watch.waitFor((o) => o.includes(callOk(key2)), 'the child signing with key 2');
    const switched = watch.output.length;
    // Once the child signs with key 2, it never goes back (its SDK dropped key 1).
    await watch.waitFor(
      (o) => o.slice(switched).split(callOk(key2)).length > 5,
      'more calls signed with key 2',
    );
    expect(watch.output.slice(switched)).not.toContain(masked(key1.accessKeyId));

    const status = await watch.status();
    expect(status).toMatchObject({ state: 'running', child: { pid, restarts: 0 } });
    expect(readyPids(watch.output)).toEqual([pid]);
    expect(watch.output).not.toContain('CALL error');
    for (const decoy of decoys) expect(sts.requestsBy(decoy.accessKeyId)).toEqual([]);
    expectNoSecrets(watch.output);
    expect(await watch.interrupt()).toBe(130);
  });

  it('a key revoked an hour before its expiry: the probe finds it, key 2 from the file replaces it; the child that failed with it is restarted once', async () => {
    const key1 = sts.issueKey({ ttlMs: 3_600_000 });
    const key2 = sts.issueKey();
    const { project, watch } = await superviseSdkChild(key1, EVERY_SECOND);
    const [firstPid] = readyPids(watch.output);

    // Key 2 lands in the file while STS is unreachable: it cannot be verified, key 1 still works, so
    // the supervisor keeps key 1 and says so. The file now holds key 2; key 1 is still served.
    await sts.goDown();
    await project.writeCredentials(key2);
    // Verifying key 2 against a downed STS takes its retries and timeouts: slow on a loaded machine.
    await watch.waitFor(
      (o) => o.includes('Ignored the new credentials'),
      'key 2 ignored while STS is down',
      30_000,
    );
    await sts.comeBack();
    const back = watch.output.length;
    await watch.waitFor((o) => o.slice(back).includes(callOk(key1)), 'the child calling with key 1 again');
    expect(watch.output).not.toContain(callOk(key2));

    // Revoked at STS with its expiration an hour away: only STS can tell.
    const revokedAt = Date.now();
    sts.revokeKey(key1.accessKeyId);
    await watch.waitFor((o) => o.includes(callOk(key2)), 'the child signing with key 2');

    const probes = watch
      .logEntries()
      .filter((e) => e.event === 'probe-failed' && Date.parse(String(e.time)) >= revokedAt);
    expect(probes.length).toBeGreaterThan(0);
    // The child really ran on the revoked key: its calls failed (and said so) before the replacement.
    const output = watch.output;
    const failed = output.indexOf(`CALL error name=InvalidClientTokenId key=${masked(key1.accessKeyId)}`);
    const pids = readyPids(output);
    expect(failed).toBeGreaterThan(-1);
    expect(pids).toHaveLength(2);
    expect(pids[0]).toBe(firstPid);
    expect(failed).toBeLessThan(output.indexOf(`READY pid=${pids[1]}`));
    // "After any period in which the child ran with credentials that did not work, restart it once
    // fresh ones are verified": one restart, with key 2, and no prompt (key 2 was already there).
    expect(await watch.status()).toMatchObject({ state: 'running', child: { pid: pids[1], restarts: 1 } });
    expect(output.slice(output.indexOf(`READY pid=${pids[1]}`))).not.toContain(masked(key1.accessKeyId));
    expect(output).not.toContain('waiting-for-credentials');
    expectNoSecrets(output);
  });

  it('follows 20 rotations of the credentials file with zero restarts', async () => {
    const first = sts.issueKey();
    const { project, watch } = await superviseSdkChild(first, EVERY_SECOND);
    const [pid] = readyPids(watch.output);

    const keys: FakeStsKey[] = [];
    for (let i = 0; i < 20; i++) {
      const key = sts.issueKey();
      keys.push(key);
      await project.writeCredentials(key);
      await watch.waitFor((o) => o.includes(callOk(key)), `the child signing with rotation ${i + 1}`);
    }

    const status = await watch.status();
    expect(status).toMatchObject({ state: 'running', child: { pid, restarts: 0 } });
    expect(readyPids(watch.output)).toEqual([pid]);
    expect(watch.output).not.toContain('CALL error');
    // The endpoint served each key in turn; the child never signed with one it had been moved off.
    const signed = [...watch.output.matchAll(/^CALL ok account=\d+ key=(\S+)$/gm)].map((m) => m[1]);
    const order = [first, ...keys].map((k) => masked(k.accessKeyId));
    const positions = signed.map((k) => order.indexOf(k ?? ''));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expectNoSecrets(watch.output);
  });
});
