/**
 * Which credentials (docs/usage.md "Credentials"), through the built CLI: an explicit profile is not silently beaten by
 * a stale default file; cdk.json's profile is the source (check verifies it, watch serves it, both say
 * where it came from); a conflicting --credentials-file is refused naming both.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeSts, FakeStsKey } from '../support/fake-sts.js';
import { envLines, type Sandbox, useSandbox } from '../support/sandbox.js';

let sts: FakeSts;
let sandbox: Sandbox;
let profileKey: FakeStsKey;

const PROFILE_ACCOUNT = '444455556666';

useSandbox(async (context) => {
  ({ sts, sandbox } = context);
  profileKey = sts.issueKey({ prefix: 'AKIA', account: PROFILE_ACCOUNT });
  await writeFile(sandbox.env.AWS_CONFIG_FILE as string, '[profile dev]\nregion = eu-west-1\n', {
    mode: 0o600,
  });
  await writeFile(
    sandbox.env.AWS_SHARED_CREDENTIALS_FILE as string,
    `[dev]\naws_access_key_id = ${profileKey.accessKeyId}\naws_secret_access_key = ${profileKey.secretAccessKey}\n`,
    { mode: 0o600 },
  );
});

describe('which credentials (built CLI)', () => {
  it('check --profile with a stale default file uses the profile and says the file was skipped', async () => {
    const stale = sts.issueKey({ ttlMs: -3_600_000 });
    await sandbox.writeCredentials(envLines(stale));
    const run = await sandbox.run(['check', '--profile', 'dev', '--json']);
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      ok: true,
      account: PROFILE_ACCOUNT,
      source: { kind: 'profile', profile: 'dev' },
    });
    expect(json.sourceNotes.join(' ')).toMatch(/credentials file .* was skipped: .*expired/i);
  });

  it("check verifies cdk.json's profile and says it came from cdk.json", async () => {
    await sandbox.writeCredentials(envLines(sts.issueKey())); // another account in the default file
    await writeFile(
      path.join(sandbox.dir, 'cdk.json'),
      JSON.stringify({ app: 'node app.js', profile: 'dev' }),
    );
    const run = await sandbox.run(['check']);
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain(PROFILE_ACCOUNT);
    expect(run.stdout).toMatch(/profile dev.*named by .*cdk\.json/);
  });

  it.each([
    ['check', ['check']],
    ['watch', ['watch', '--', process.execPath, '-e', 'console.log("CHILD RAN")']],
    ['exec', ['exec', '--', process.execPath, '-e', 'console.log("CHILD RAN")']],
  ])(
    '%s refuses --credentials-file while cdk.json names a profile: a usage error naming both',
    async (_, argv) => {
      await writeFile(
        path.join(sandbox.dir, 'cdk.json'),
        JSON.stringify({ app: 'node app.js', profile: 'dev' }),
      );
      const other = path.join(sandbox.dir, 'other-credentials');
      await sandbox.writeCredentials(envLines(sts.issueKey()), other);
      const [command, ...rest] = argv as [string, ...string[]];
      const run = await sandbox.run([command, '--credentials-file', other, ...rest]);
      expect(run.exitCode, run.stderr + run.stdout).toBe(2);
      const text = run.stdout + run.stderr;
      expect(text).toContain(`--credentials-file ${other}`);
      expect(text).toMatch(/profile dev named by .*cdk\.json/);
      expect(text).not.toContain('CHILD RAN');
      // Refused before anything started: no credentials read, so STS was never asked.
      expect(sts.requests).toHaveLength(0);
    },
  );

  it('refuses a --profile other than the one cdk.json names (exit 2), and accepts the same one', async () => {
    await writeFile(
      path.join(sandbox.dir, 'cdk.json'),
      JSON.stringify({ app: 'node app.js', profile: 'dev' }),
    );
    const refused = await sandbox.run(['check', '--profile', 'ops']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--profile ops conflicts with profile dev named by .*cdk\.json/);
    const same = await sandbox.run(['check', '--profile', 'dev']);
    expect(same.exitCode, same.stderr + same.stdout).toBe(0);
  });

  it("watch serves cdk.json's profile to the child", async () => {
    await sandbox.writeCredentials(envLines(sts.issueKey()));
    await writeFile(
      path.join(sandbox.dir, 'cdk.json'),
      JSON.stringify({ app: 'node app.js', profile: 'dev' }),
    );
    const run = await sandbox.run([
      'watch',
      '--delivery',
      'env',
      '--',
      process.execPath,
      '-e',
      'console.log("CHILD-KEY", process.env.AWS_ACCESS_KEY_ID)',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`CHILD-KEY ${profileKey.accessKeyId}`);
  });
});
