// The credentials file as the person's way to hand over fresh credentials, through the built CLI:
// a rewrite (in place or by atomic rename) brings a waiting supervisor's command up; a malformed,
// half-written or wrong-account file is refused with a message that names the problem (never the
// secret) and the supervisor keeps waiting, or keeps the running command on the credentials it has.
import { describe, expect, it } from 'vitest';
import { requestReload } from '../../src/control/control-client.js';
import { DEFAULT_ACCOUNT, type FakeSts } from '../support/fake-sts.js';
import {
  assertNoSecretsLeaked,
  flat,
  NO_PROBES,
  startWatch,
  useWatchProject,
  type WatchProject,
} from '../support/watch-session.js';

const PROMPT = /credentials needed[\s\S]*?\n─+\n/;

let sts: FakeSts;
let project: WatchProject;
useWatchProject((context) => {
  ({ sts, project } = context);
});

describe('watch: a rewritten credentials file', () => {
  it.each([
    ['in place', false],
    ['by atomic rename (temp file + mv)', true],
  ])('starts the waiting command when the file is rewritten %s', async (_how, atomic) => {
    const stale = sts.issueKey();
    sts.expireKey(stale.accessKeyId);
    await project.writeCredentials(stale);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      env: { FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    const prompt = await session.waitForOutput(PROMPT);
    expect(flat(prompt[0])).toMatch(/expired/);
    await session.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting-for-credentials');
    expect(session.output).not.toContain('FAKE_READY');

    const fresh = sts.issueKey();
    await project.writeCredentials(fresh, { atomic });
    await session.waitForOutput(/FAKE_READY/);
    const running = await session.waitForStatus((s) => s.state === 'running', 'running');
    expect(running.child?.pid).toEqual(expect.any(Number));
    expect(sts.requestsBy(fresh.accessKeyId)).toContainEqual(
      expect.objectContaining({ action: 'GetCallerIdentity', status: 200 }),
    );

    session.kill('SIGTERM');
    expect((await session.waitForExit()).code).toBe(143);
    assertNoSecretsLeaked(sts, session);
  });
});

describe('watch: asked to look again', () => {
  it.each([
    ['`cred-supervisor reload` (the control socket)', 'reload'],
    ['SIGUSR1', 'signal'],
  ] as const)('re-verifies the unchanged file on %s and starts once STS accepts it', async (_how, via) => {
    const key = sts.issueKey();
    sts.revokeKey(key.accessKeyId);
    await project.writeCredentials(key);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      env: { FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    await session.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting-for-credentials');
    // STS accepts the key again (say, a policy was fixed); the file did not change.
    const stored = sts.keys.get(key.accessKeyId);
    if (stored) stored.state = 'valid';
    if (via === 'reload') {
      expect((await requestReload(project.stateDir)).message).toMatch(
        /^Reload: fresh credentials verified for account \d{12} from file /,
      );
    } else {
      session.kill('SIGUSR1');
    }
    await session.waitForOutput(/FAKE_READY/);
    await session.waitForStatus((s) => s.state === 'running', 'running');
    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
  });
});

describe('watch --delivery env: a rewritten file while the command runs', () => {
  it('restarts the command with the new key in its environment, without a prompt', async () => {
    const first = sts.issueKey();
    await project.writeCredentials(first);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES, '--delivery', 'env', '--stop-grace', '1s'],
      env: { FAKE_CDK_PRINT_ENV: 'AWS_ACCESS_KEY_ID' },
    });
    await session.waitForOutput(new RegExp(`AWS_ACCESS_KEY_ID=${first.accessKeyId}\\n`));
    const before = await session.waitForStatus((s) => s.state === 'running', 'running');

    const second = sts.issueKey();
    await project.writeCredentials(second);
    await session.waitForOutput(new RegExp(`AWS_ACCESS_KEY_ID=${second.accessKeyId}\\n`));
    const after = await session.waitForStatus((s) => s.state === 'running', 'running again');
    expect(after.child?.pid).not.toBe(before.child?.pid);
    expect(after.child?.restarts).toBe(1);
    expect(session.output).not.toMatch(PROMPT);

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
    assertNoSecretsLeaked(sts, session);
  });
});

describe('watch: a bad credentials file', () => {
  it('keeps waiting through a malformed, a half-written and a wrong-account file, then starts on a good one', async () => {
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES, '--expect-account', DEFAULT_ACCOUNT],
      env: { FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    // No file at all: the prompt says where to write one.
    const prompt = await session.waitForOutput(PROMPT);
    expect(prompt[0]).toContain(project.credentialsFile);
    expect(flat(prompt[0])).toContain(`${DEFAULT_ACCOUNT} (--expect-account)`);

    let from = session.mark();
    await project.writeCredentials('this is not a credentials file\n');
    const malformed = await session.waitForOutput(/\[cred-supervisor\] .*line 1 is not a NAME=VALUE.*\n/, {
      from,
    });
    expect(malformed[0]).toContain(project.credentialsFile);

    // The secret is in the file but the key id line is missing: named, and never echoed.
    const half = sts.issueKey();
    from = session.mark();
    await project.writeCredentials(`export AWS_SECRET_ACCESS_KEY=${half.secretAccessKey}\n`);
    const incomplete = await session.waitForOutput(/\[cred-supervisor\] .*AWS_ACCESS_KEY_ID.*\n/, { from });
    expect(incomplete[0]).not.toContain(half.secretAccessKey);

    const foreign = sts.issueKey({ account: '999999999999' });
    from = session.mark();
    await project.writeCredentials(foreign);
    const wrongAccount = await session.waitForOutput(/\[cred-supervisor\] .*999999999999.*\n/, { from });
    expect(wrongAccount[0]).toContain(DEFAULT_ACCOUNT);
    const waiting = await session.waitForStatus(
      (s) => s.state === 'waiting-for-credentials' && /999999999999/.test(s.lastError ?? ''),
      'waiting, refusing the other account',
    );
    expect(waiting.child?.pid).toBeNull();
    expect(session.output).not.toContain('FAKE_READY');
    expect(session.childPids()).toEqual([]);

    const good = sts.issueKey();
    await project.writeCredentials(good);
    await session.waitForOutput(/FAKE_READY/);
    await session.waitForStatus((s) => s.state === 'running' && s.child?.restarts === 0, 'running');

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
    assertNoSecretsLeaked(sts, session);
  });

  it('keeps a running command on the credentials it has when the file is rewritten with garbage', async () => {
    const key = sts.issueKey();
    await project.writeCredentials(key);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      env: { FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    await session.waitForOutput(/FAKE_READY/);
    const before = await session.waitForStatus((s) => s.state === 'running', 'running');

    const from = session.mark();
    await project.writeCredentials('{"Version": 1, "AccessKeyId": 42}\n');
    await session.waitForOutput(/Ignored the new credentials: .*Keeping the ones in use\./, { from });
    const after = await session.status();
    expect(after).toMatchObject({ state: 'running', child: { pid: before.child?.pid, restarts: 0 } });
    expect(session.output.match(/FAKE_READY/g)).toHaveLength(1);

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
    assertNoSecretsLeaked(sts, session);
  });
});
