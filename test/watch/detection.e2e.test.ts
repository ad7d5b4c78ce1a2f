// The three ways `watch` learns that the child's credentials stopped working, through the built CLI:
// a credential-error line in the child's output, the scheduled STS probe, and the expiration time.
// Each ends the same way: the child's group is stopped, the prompt is printed, the supervisor waits,
// and a rewritten credentials file brings the command back as a new process.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import {
  assertNoSecretsLeaked,
  flat,
  isAlive,
  NO_PROBES,
  startWatch,
  useWatchProject,
  type WatchProject,
  waitUntil,
} from '../support/watch-session.js';

const EXPIRED_LINE = 'ExpiredToken: The security token included in the request is expired';

let sts: FakeSts;
let project: WatchProject;
useWatchProject((context) => {
  ({ sts, project } = context);
});

async function readPid(file: string): Promise<number> {
  return (JSON.parse(await readFile(file, 'utf8')) as { pid: number }).pid;
}

describe('watch: detection from the child output', () => {
  it('stops the child on an ExpiredToken line the STS check confirms, prompts, and restarts on a new file', async () => {
    const first = sts.issueKey();
    await project.writeCredentials(first);
    // STS stops accepting the key the moment the supervisor has verified it: the child's first line is
    // then the only thing that can make the supervisor look again (no scheduled probe, expiry an hour away).
    void sts
      .waitForRequest((r) => r.accessKeyId === first.accessKeyId && r.status === 200)
      .then(() => sts.expireKey(first.accessKeyId));
    const pidFile = path.join(project.dir, 'child.json');
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES, '--stop-grace', '2s'],
      env: { FAKE_CDK_LINES: EXPIRED_LINE, FAKE_CDK_READY_MARKER: 'FAKE_READY', FAKE_CDK_PID_FILE: pidFile },
    });
    await session.waitForOutput(/FAKE_READY/);
    const firstPid = await readPid(pidFile);

    await session.waitForOutput(/reported a credential error \(expired\); checking its credentials with STS/);
    await session.waitForOutput(/FAKE_CDK_SIGNAL=SIGINT/);
    // Refused by STS: no "59m left" on the status line, whatever the expiration says.
    const statusLine = await session.waitForOutput(/\[cred-supervisor\] waiting-for-credentials.*\n/);
    expect(statusLine[0]).toBe('[cred-supervisor] waiting-for-credentials · account 123456789012\n');
    const prompt = await session.waitForOutput(/credentials needed[\s\S]*?\n─+\n/);
    expect(prompt[0]).toContain(`aws configure export-credentials --format env > ${project.credentialsFile}`);
    expect(prompt[0]).toMatch(/expired/);
    // STS said "expired" an hour before the advertised expiration: the prompt must not claim a time.
    expect(prompt[0]).not.toMatch(/expired at \d/);
    const waiting = await session.waitForStatus(
      (s) => s.state === 'waiting-for-credentials' && s.child?.pid === null,
      'waiting-for-credentials without a child',
    );
    expect(waiting.lastError).toMatch(/expired/i);
    expect(isAlive(firstPid)).toBe(false);
    expect(sts.requestsBy(first.accessKeyId).at(-1)).toMatchObject({ errorCode: 'ExpiredToken' });

    const from = session.mark();
    const second = sts.issueKey();
    await project.writeCredentials(second);
    await session.waitForOutput(/FAKE_READY/, { from });
    const secondPid = await readPid(pidFile);
    expect(secondPid).not.toBe(firstPid);
    const running = await session.waitForStatus((s) => s.state === 'running', 'running again');
    expect(running.child).toMatchObject({ pid: secondPid, restarts: 1 });
    expect(sts.requestsBy(second.accessKeyId)).toContainEqual(
      expect.objectContaining({ action: 'GetCallerIdentity', status: 200 }),
    );

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
    assertNoSecretsLeaked(sts, session);
  });
});

describe('watch: detection by the scheduled STS probe', () => {
  it('stops an env-delivery child when STS rejects a key that has an hour left, and restarts it with the new key', async () => {
    const first = sts.issueKey();
    await project.writeCredentials(first);
    const session = startWatch(project, {
      args: ['--delivery', 'env', '--check-schedule', '*/1 * * * * *', '--stop-grace', '2s'],
      env: { FAKE_CDK_PRINT_ENV: 'AWS_ACCESS_KEY_ID', FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    await session.waitForOutput(new RegExp(`AWS_ACCESS_KEY_ID=${first.accessKeyId}\\n`));
    await session.waitForOutput(/FAKE_READY/);
    const { child } = await session.waitForStatus((s) => s.state === 'running', 'running');
    // A probe happens every second; it must have succeeded so far.
    await sts.waitForRequest((r) => r.accessKeyId === first.accessKeyId && r.status === 200, 5000);

    sts.revokeKey(first.accessKeyId);
    await session.waitForOutput(/FAKE_CDK_SIGNAL=SIGINT/);
    const prompt = await session.waitForOutput(/credentials needed[\s\S]*?\n─+\n/);
    expect(flat(prompt[0])).toMatch(/STS no longer accepts the credentials/);
    expect(prompt[0]).toContain(project.credentialsFile);
    await session.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting-for-credentials');
    expect(sts.requestsBy(first.accessKeyId).at(-1)).toMatchObject({ errorCode: 'InvalidClientTokenId' });
    expect(isAlive(child?.pid ?? 0)).toBe(false);

    const from = session.mark();
    const second = sts.issueKey();
    await project.writeCredentials(second);
    // env delivery: the new key reaches the child only through a restart, in its environment.
    await session.waitForOutput(new RegExp(`AWS_ACCESS_KEY_ID=${second.accessKeyId}\\n`), { from });
    const running = await session.waitForStatus((s) => s.state === 'running', 'running again');
    expect(running.child?.pid).not.toBe(child?.pid);
    expect(running.child?.restarts).toBe(1);

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
    assertNoSecretsLeaked(sts, session);
  });
});

describe('watch: STS unreachable is not expiry', () => {
  it('retries without a prompt when STS is down at the start, and keeps the child running when it goes down later', async () => {
    await project.writeCredentials(sts.issueKey());
    await sts.goDown();
    const session = startWatch(project, {
      args: ['--check-schedule', '*/1 * * * * *'],
      env: { FAKE_CDK_READY_MARKER: 'FAKE_READY', CRED_SUPERVISOR_BACKOFF_MS: '200' },
    });
    await session.waitForOutput(/STS could not be reached \(ECONNREFUSED\).*Retrying in \S+\./);
    await sts.comeBack();
    await session.waitForOutput(/FAKE_READY/);
    const { child } = await session.waitForStatus((s) => s.state === 'running', 'running');

    const from = session.mark();
    await sts.goDown();
    await session.waitForOutput(
      /The scheduled STS check failed: STS could not be reached.*The command keeps running/,
      {
        from,
      },
    );
    await sts.comeBack();
    const back = Date.now();
    // The next scheduled check gets through again.
    await sts.waitForRequest((r) => r.at >= back && r.status === 200, 5000);
    const after = await session.waitForStatus((s) => s.state === 'running', 'still running');
    expect(after.child).toMatchObject({ pid: child?.pid, restarts: 0 });
    expect(session.output).not.toMatch(/credentials needed|expired|FAKE_CDK_SIGNAL/);

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
  });
});

describe('watch: detection from the expiration time', () => {
  it('stops the child before its credentials expire when no fresher ones can be had', async () => {
    // 15 s of life, refresh 8 s before: the stop must come ~7 s after the key was issued, before the
    // expiry. (Wide margins: a loaded CI machine can take seconds to start the supervisor, and a key
    // with less than --refresh-before left at the first verification is refused outright.)
    const key = sts.issueKey({ ttlMs: 15_000 });
    const expiresAt = key.expiration?.getTime() ?? 0;
    await project.writeCredentials(key);
    const notified = path.join(project.dir, 'notified.txt');
    const session = startWatch(project, {
      args: [
        ...['--check-schedule', NO_PROBES, '--refresh-before', '8s', '--stop-grace', '2s'],
        ...['--notify-command', `printf '%s' "$CRED_SUPERVISOR_MESSAGE" > '${notified}'`],
      ],
      env: { FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    await session.waitForOutput(/FAKE_READY/);
    const { child } = await session.waitForStatus((s) => s.state === 'running', 'running');

    await session.waitForOutput(/credentials expire in \S+ \(at [\d:]+\); looking for fresher ones in/);
    await session.waitForOutput(/FAKE_CDK_SIGNAL=SIGINT/);
    await waitUntil(() => !isAlive(child?.pid ?? 0), 'the child to be gone');
    const stoppedAt = Date.now();
    expect(stoppedAt).toBeLessThan(expiresAt);

    const prompt = await session.waitForOutput(/credentials needed[\s\S]*?\n─+\n/);
    expect(flat(prompt[0])).toMatch(
      /the credentials expire (in \S+ \(at [\d:]+\)|now \(at [\d:]+\)) and no fresher ones could be had/,
    );
    await session.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting-for-credentials');
    await waitUntil(() => existsSync(notified), '--notify-command to run');
    await waitUntil(async () => (await readFile(notified, 'utf8')).length > 0, 'its message');
    expect(await readFile(notified, 'utf8')).toMatch(
      /^cred-supervisor: credentials needed \(expiring at [\d:]+\); \S*fake-cdk\.mjs is waiting$/,
    );
    // Only the start's verification and the refresh attempt asked STS: the stop came from the clock.
    expect(sts.requestsBy(key.accessKeyId).every((r) => r.status === 200)).toBe(true);

    session.kill('SIGTERM');
    expect((await session.waitForExit()).code).toBe(143);
    assertNoSecretsLeaked(sts, session);
  });
});
