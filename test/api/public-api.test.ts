// The package's entry point, used as a library would use it: every assertion is about what the
// exported function or class does (real lines, the real fake STS, a real fixture child), not its type.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { collectingSink } from '../child/helpers.js';
import { FakeSts } from '../support/fake-sts.js';
import { waitUntil } from '../support/wait-until.js';
import {
  cleanUpWatchSessions,
  createWatchProject,
  FAKE_CDK,
  NO_PROBES,
  type WatchProject,
} from '../support/watch-session.js';

let sts: FakeSts;
beforeEach(async () => {
  sts = await FakeSts.start();
});
afterEach(async () => {
  await cleanUpWatchSessions();
  await sts.close();
});

describe('public API (docs/usage.md "Programmatic API")', () => {
  it('detectCredentialError names the kind of real credential errors and passes ordinary output', () => {
    expect(
      api.detectCredentialError(
        '\x1b[31mExpiredToken: The security token included in the request is expired\x1b[0m',
      ),
    ).toBe('expired');
    expect(
      api.detectCredentialError(
        'An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired',
      ),
    ).toBe('expired');
    expect(
      api.detectCredentialError(
        'Unable to locate credentials. You can configure credentials by running "aws configure".',
      ),
    ).not.toBeNull();
    expect(api.detectCredentialError('DevStack: deploying... [1/1]')).toBeNull();
    expect(api.detectCredentialError('✨  Deployment time: 12.3s')).toBeNull();
  });

  it('verifyCredentials answers the identity for a valid key and "expired"/"invalid" for bad ones', async () => {
    const key = sts.issueKey({ ttlMs: 3_600_000 });
    const ok = await api.verifyCredentials(key, { endpoint: sts.url, region: 'us-east-1' });
    expect(ok).toMatchObject({ ok: true, account: key.account, arn: key.arn, temporary: true });

    const revoked = sts.issueKey();
    sts.revokeKey(revoked.accessKeyId);
    const refused = await api.verifyCredentials(revoked, { endpoint: sts.url, region: 'us-east-1' });
    expect(refused).toMatchObject({ ok: false, reason: 'invalid' });
    if (!refused.ok) expect(refused.message).not.toContain(revoked.secretAccessKey);

    const past = { ...sts.issueKey(), expiration: new Date(Date.now() - 60_000) };
    expect(await api.verifyCredentials(past, { endpoint: sts.url, region: 'us-east-1' })).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('a Supervisor verifies, runs the fixture child, and stops it with 143', async () => {
    const project: WatchProject = await createWatchProject(sts);
    const key = sts.issueKey({ ttlMs: 3_600_000 });
    await project.writeCredentials(key);
    const stdout = collectingSink();
    const supervisor = new api.Supervisor({
      options: {
        ...api.defaultOptions(project.dir),
        stateDir: project.stateDir,
        credentialsFile: project.credentialsFile,
        checkSchedule: NO_PROBES,
        stopGraceMs: 1000,
      },
      command: [FAKE_CDK, 'watch'],
      cwd: project.dir,
      env: { ...project.env, FAKE_CDK_STREAM: 'stdout', FAKE_CDK_READY_MARKER: 'CHILD-READY' },
      stdout: stdout.sink,
      stderr: collectingSink().sink,
      interactive: false,
      watchdog: false,
      verifyOptions: { endpoint: sts.url },
    });
    const exit = supervisor.run();
    await waitUntil(
      () => supervisor.status().state === 'running' && stdout.text().includes('CHILD-READY'),
      () => `the child running (status ${supervisor.status().state}, stdout ${stdout.text()})`,
    );
    expect(supervisor.status().credentials).toMatchObject({ account: key.account });
    supervisor.requestStop('sigterm');
    expect(await exit).toBe(143);
    expect(supervisor.status().state).toBe('stopped');
  });
});
