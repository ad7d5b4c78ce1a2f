// A whole session with known secrets, then every byte the supervisor wrote is searched for them:
// its stdout and stderr, its log (at debug level), every file it keeps in its state dir (while running
// and after), `status --json`, the command lines and environments of the supervisor and of every
// process it started. Secrets: each key's secret access key and session token, and the endpoint token
// (allowed only in its own file). Zero hits. Positive controls prove the scan finds what is there:
// the credentials file the person wrote, and, with `--delivery env`, the child's environment, which
// holds the keys by design. Redaction itself is unit tested in test/logging/ (redact, logger).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeStsKey } from '../support/fake-sts.js';
import { descendants, procBytes } from '../support/proc.js';
import {
  reliabilitySandbox,
  SDK_CHILD_COMMAND,
  startFakeSts,
  startWatch,
  type WatchSession,
  writeKey,
} from '../support/watch-session.js';
import { type Exhibit, filesUnder, findSecrets, type Secret } from './support/secret-scan.js';

const masked = (key: FakeStsKey) => `key=${key.accessKeyId.slice(0, 4)}…${key.accessKeyId.slice(-4)}`;

function secretsOf(...keys: FakeStsKey[]): Secret[] {
  return keys.flatMap((key, i) => [
    { name: `secret access key of key ${i + 1}`, value: key.secretAccessKey },
    { name: `session token of key ${i + 1}`, value: key.sessionToken! },
  ]);
}

/** The command line and environment of the supervisor and of everything it started, right now. */
function processExhibits(watch: WatchSession, options: { childEnviron: boolean }): Exhibit[] {
  const pids = [watch.pid, ...descendants(watch.pid)];
  return pids.flatMap((pid) => {
    const cmdline = procBytes(pid, 'cmdline');
    const name = pid === watch.pid ? 'supervisor' : cmdline.toString().split('\0').slice(0, 2).join(' ');
    const exhibits = [{ where: `/proc/${pid}/cmdline (${name})`, bytes: cmdline }];
    if (pid === watch.pid || options.childEnviron) {
      exhibits.push({ where: `/proc/${pid}/environ (${name})`, bytes: procBytes(pid, 'environ') });
    }
    return exhibits;
  });
}

/** The state dir as the supervisor keeps it; the endpoint token may only be in its own file. */
function stateDirExhibits(watch: WatchSession, label: string): Exhibit[] {
  return filesUnder(watch.stateDir, (file) => path.basename(file) === 'endpoint.token').map((e) => ({
    ...e,
    where: `${label} ${e.where}`,
  }));
}

// Two independent sessions (own fake STS, directory, supervisor): they run together.
describe.concurrent('no secret anywhere the supervisor writes (built CLI)', () => {
  it('endpoint delivery: start, rotation, expiry, prompt, restart, status, stop', async ({
    onTestFinished,
  }) => {
    const sts = await startFakeSts(onTestFinished);
    const sandbox = await reliabilitySandbox(sts.url, onTestFinished);
    // Outside the state dir, so that the state dir holds only what the supervisor wrote.
    const credentialsFile = path.join(sandbox.dir, 'private', 'credentials');
    const keys = [sts.issueKey({ ttlMs: 60_000 })];
    await writeKey(sandbox, keys[0]!, credentialsFile);
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      args: [
        '--credentials-file',
        credentialsFile,
        '--region',
        'us-east-1',
        '--refresh-before',
        '5s',
        '--check-schedule',
        '* * * * * *',
        '--stop-grace',
        '1s',
        '--log-level',
        'trace',
      ],
      command: SDK_CHILD_COMMAND,
      env: { SDK_CHILD_INTERVAL_MS: '200' },
    });
    const exhibits: Exhibit[] = [];
    const statusRuns: string[] = [];

    // Start: the SDK child gets the first key from the endpoint.
    await watch.waitFor(`CALL ok account=123456789012 ${masked(keys[0]!)}`);
    const endpointToken = readFileSync(path.join(watch.stateDir, 'endpoint.token'), 'utf8');
    expect(endpointToken).toMatch(/^[0-9a-f]{64}$/);
    exhibits.push(...processExhibits(watch, { childEnviron: true }), ...stateDirExhibits(watch, 'running:'));

    // Rotation: a new key in the file reaches the running child through the endpoint, no restart.
    // It lasts 12 s: 7 s after it is written it reaches --refresh-before.
    keys.push(sts.issueKey({ ttlMs: 12_000 }));
    await writeKey(sandbox, keys[1]!, credentialsFile);
    await watch.waitFor(`CALL ok account=123456789012 ${masked(keys[1]!)}`);
    const rotated = await sandbox.run(['status', '--json']);
    statusRuns.push(rotated.stdout + rotated.stderr);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ state: 'running', child: { restarts: 0 } });

    // Expiry: nothing fresher comes, so the child is stopped before its key dies, and the prompt shows.
    await watch.waitFor(/credentials expire in/);
    await watch.waitFor(/credentials needed ──/);
    const waiting = await sandbox.run(['status', '--json']);
    statusRuns.push(waiting.stdout + waiting.stderr);
    expect(JSON.parse(waiting.stdout)).toMatchObject({ state: 'waiting-for-credentials' });

    // Restart: a fresh key in the file; verified, and the command starts again.
    keys.push(sts.issueKey({ ttlMs: 60_000 }));
    await writeKey(sandbox, keys[2]!, credentialsFile);
    await watch.waitFor(`CALL ok account=123456789012 ${masked(keys[2]!)}`);
    const restarted = await sandbox.run(['status', '--json']);
    statusRuns.push(restarted.stdout + restarted.stderr);
    expect(JSON.parse(restarted.stdout)).toMatchObject({ state: 'running', child: { restarts: 1 } });
    exhibits.push(
      ...processExhibits(watch, { childEnviron: true }),
      ...stateDirExhibits(watch, 'running again:'),
    );

    // Stop, as a person would from another terminal.
    const stop = await sandbox.run(['stop']);
    expect(await watch.exited).toMatchObject({ signal: null });
    exhibits.push(
      { where: 'supervisor stdout', bytes: watch.stdoutBytes },
      { where: 'supervisor stderr', bytes: watch.stderrBytes },
      { where: '`stop` output', bytes: Buffer.from(stop.stdout + stop.stderr) },
      ...statusRuns.map((text, i) => ({ where: `\`status --json\` #${i + 1}`, bytes: Buffer.from(text) })),
      ...stateDirExhibits(watch, 'after exit:'),
    );
    const log = exhibits.find((e) => e.where.endsWith('supervisor.log') && e.where.startsWith('after'));
    expect(log?.bytes.length, 'the log was written').toBeGreaterThan(1000);

    const secrets = [...secretsOf(...keys), { name: 'endpoint token', value: endpointToken }];
    expect(findSecrets(exhibits, secrets)).toEqual([]);
    // Positive control: the scan does find secrets where they are.
    expect(
      findSecrets([{ where: 'credentials file', bytes: readFileSync(credentialsFile) }], secrets),
    ).toEqual(['credentials file: secret access key of key 3', 'credentials file: session token of key 3']);
  });

  it('env delivery: start, rotation (a restart), stop; the child alone holds the keys, in its environment', async ({
    onTestFinished,
  }) => {
    const sts = await startFakeSts(onTestFinished);
    const sandbox = await reliabilitySandbox(sts.url, onTestFinished);
    const credentialsFile = path.join(sandbox.dir, 'private', 'credentials');
    const keys = [sts.issueKey()];
    await writeKey(sandbox, keys[0]!, credentialsFile);
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      args: ['--delivery', 'env', '--credentials-file', credentialsFile, '--log-level', 'trace'],
      command: SDK_CHILD_COMMAND,
      env: { SDK_CHILD_INTERVAL_MS: '200', AWS_REGION: 'us-east-1' },
    });
    await watch.waitFor(`CALL ok account=123456789012 ${masked(keys[0]!)}`);
    const supervisorOnly = processExhibits(watch, { childEnviron: false });
    const withChildEnv = processExhibits(watch, { childEnviron: true });

    keys.push(sts.issueKey());
    await writeKey(sandbox, keys[1]!, credentialsFile);
    await watch.waitFor(`CALL ok account=123456789012 ${masked(keys[1]!)}`);
    const status = await sandbox.run(['status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'running', child: { restarts: 1 } });
    supervisorOnly.push(...processExhibits(watch, { childEnviron: false }));

    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
    const exhibits = [
      ...supervisorOnly,
      { where: 'supervisor stdout', bytes: watch.stdoutBytes },
      { where: 'supervisor stderr', bytes: watch.stderrBytes },
      { where: '`status --json`', bytes: Buffer.from(status.stdout + status.stderr) },
      ...stateDirExhibits(watch, 'after exit:'),
    ];
    const secrets = secretsOf(...keys);
    expect(findSecrets(exhibits, secrets)).toEqual([]);
    // Positive control: env delivery puts the first key in the first child's environment.
    const childEnviron = findSecrets(withChildEnv, secrets);
    expect(childEnviron).toHaveLength(2);
    expect(childEnviron.every((hit) => hit.includes('environ') && hit.includes('of key 1'))).toBe(true);
  });
});
