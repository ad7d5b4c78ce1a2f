/**
 * An assume-role profile whose STS is down across --refresh-before: the refresh fails for network
 * reasons, which says nothing about the credentials in use. The child must keep running (never stopped
 * while more than --stop-before is left), the refresh is retried, and once STS is back the fresh role
 * credentials are served to the same child. Before the problem → rejection rule was one exhaustive
 * switch, the profile's NETWORK problem became "malformed" and the child was stopped.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import {
  NO_PROBES,
  startWatch,
  useWatchProject,
  type WatchProject,
  waitUntil,
} from '../support/watch-session.js';

let sts: FakeSts;
let project: WatchProject;
useWatchProject((context) => {
  ({ sts, project } = context);
});

describe('watch --profile (assume-role): STS down across --refresh-before', () => {
  it('keeps the child running, retries, and serves the fresh role credentials once STS is back', async () => {
    const base = sts.issueKey({ prefix: 'AKIA' });
    const aws = path.join(project.dir, 'aws');
    await mkdir(aws);
    project.env.AWS_CONFIG_FILE = path.join(aws, 'config');
    project.env.AWS_SHARED_CREDENTIALS_FILE = path.join(aws, 'credentials');
    // 40-second role sessions; refreshing starts 30 s before expiry, the stop only 2 s before.
    await writeFile(
      project.env.AWS_CONFIG_FILE,
      '[profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/Deploy\nsource_profile = base\nduration_seconds = 40\n',
    );
    await writeFile(
      project.env.AWS_SHARED_CREDENTIALS_FILE,
      `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
      { mode: 0o600 },
    );

    const session = startWatch(project, {
      args: [
        '--profile',
        'deploy',
        '--refresh-before',
        '30s',
        '--stop-before',
        '2s',
        '--check-schedule',
        NO_PROBES,
      ],
    });
    const first = await session.waitForStatus((s) => s.state === 'running', 'the child running', 20_000);
    const firstExpiry = Date.parse(first.credentials.expiresAt ?? '');
    expect(first.credentials.account).toBe('111122223333');

    await sts.goDown();
    const outageStart = Date.now();
    // Refreshing starts (10 s after the session began) and fails: STS is unreachable.
    const refreshAt = firstExpiry - 30_000;
    await waitUntil(
      () => Date.now() > refreshAt + 4_000,
      'the refresh to be tried during the outage',
      30_000,
    );
    const during = await session.status();
    expect(during.state).toBe('running');
    expect(during.child.restarts).toBe(0);
    expect(session.childPids()).toHaveLength(1);
    expect(session.output).not.toMatch(/Stopping the command/);
    expect(Date.now() - outageStart).toBeGreaterThan(4_000);

    await sts.comeBack();
    const refreshed = await session.waitForStatus(
      (s) => Date.parse(s.credentials.expiresAt ?? '') > firstExpiry,
      'fresh role credentials after STS came back',
      30_000,
    );
    expect(refreshed.state).toBe('running');
    expect(refreshed.child.restarts).toBe(0);
    expect(session.childPids()).toHaveLength(1);
    expect(session.output).not.toMatch(/Stopping the command/);
  }, 90_000);
});
