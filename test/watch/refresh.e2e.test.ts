// The point of the product, through the built CLI: credentials that refresh themselves (a profile
// with a credential_process here) are renewed at --refresh-before and handed to the running command,
// which outlives its first key without a stop, a prompt or a restart.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FakeSts, FakeStsKey } from '../support/fake-sts.js';
import {
  assertNoSecretsLeaked,
  NO_PROBES,
  startWatch,
  useWatchProject,
  type WatchProject,
  waitUntil,
} from '../support/watch-session.js';

const CREDENTIAL_PROCESS = fileURLToPath(new URL('../fixtures/credential-process.mjs', import.meta.url));

let sts: FakeSts;
let project: WatchProject;
useWatchProject((context) => {
  ({ sts, project } = context);
});

function credentialProcessJson(key: FakeStsKey): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: key.accessKeyId,
    SecretAccessKey: key.secretAccessKey,
    SessionToken: key.sessionToken,
    Expiration: key.expiration?.toISOString(),
  });
}

describe('watch --profile: refresh before expiry', () => {
  it('re-resolves the profile at --refresh-before and serves the new key: the command outlives the first one', async () => {
    // What the credential_process prints; in a folder nobody watches, so only the refresh reads it.
    const helperOutput = path.join(project.dir, 'helper', 'credentials.json');
    await mkdir(path.dirname(helperOutput));
    // 12 s with --refresh-before 7s: 5 s of margin for a loaded machine to start the supervisor.
    const first = sts.issueKey({ ttlMs: 12_000 });
    await writeFile(helperOutput, credentialProcessJson(first), { mode: 0o600 });
    const config = path.join(project.dir, 'aws', 'config');
    await mkdir(path.dirname(config));
    await writeFile(
      config,
      `[profile dev]\ncredential_process = ${process.execPath} ${CREDENTIAL_PROCESS} ${helperOutput}\n`,
    );

    const session = startWatch(project, {
      args: ['--profile', 'dev', '--check-schedule', NO_PROBES, '--refresh-before', '7s'],
      env: { AWS_CONFIG_FILE: config, FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    await session.waitForOutput(/FAKE_READY/);
    const before = await session.waitForStatus((s) => s.state === 'running', 'running');
    // The helper has a new key by the time the supervisor asks again.
    const second = sts.issueKey();
    await writeFile(helperOutput, credentialProcessJson(second), { mode: 0o600 });

    await session.waitForOutput(/credentials expire in \S+ .*looking for fresher ones in .*profile dev/);
    await session.waitForStatus(
      (s) => s.credentials?.expiresAt === second.expiration?.toISOString(),
      'the second key in use',
    );
    // Past the first key's expiry, the command runs on, untouched.
    const firstExpiry = first.expiration?.getTime() ?? 0;
    await waitUntil(() => Date.now() > firstExpiry + 300, "the first key's expiry to pass");
    const after = await session.waitForStatus((s) => s.state === 'running', 'still running');
    expect(after.child).toMatchObject({ pid: before.child?.pid, restarts: 0 });
    expect(session.output).not.toMatch(/credentials needed|FAKE_CDK_SIGNAL|Stopping the command/);

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
    assertNoSecretsLeaked(sts, session);
  });
});
