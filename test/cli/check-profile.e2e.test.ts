/** `check --profile` through the built CLI: real shared config files, the fake STS behind assume-role. */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import { type Sandbox, useSandbox } from '../support/sandbox.js';

let sts: FakeSts;
let sandbox: Sandbox;
useSandbox((context) => {
  ({ sts, sandbox } = context);
});

async function writeProfiles(config: string, credentials: string): Promise<void> {
  await writeFile(sandbox.env.AWS_CONFIG_FILE as string, config, { mode: 0o600 });
  await writeFile(sandbox.env.AWS_SHARED_CREDENTIALS_FILE as string, credentials, { mode: 0o600 });
}

describe('cred-supervisor check --profile (built CLI)', () => {
  it('resolves an assume-role profile: the fake STS sees AssumeRole signed by the source key', async () => {
    const source = sts.issueKey({ prefix: 'AKIA' });
    await writeProfiles(
      '[profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/Deploy\nsource_profile = base\nregion = eu-west-1\n',
      `[base]\naws_access_key_id = ${source.accessKeyId}\naws_secret_access_key = ${source.secretAccessKey}\n`,
    );
    const run = await sandbox.run(['check', '--profile', 'deploy', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ ok: true, account: '111122223333', credentialType: 'temporary' });
    expect(json.arn).toMatch(/^arn:aws:sts::111122223333:assumed-role\/Deploy\//);
    expect(sts.requestsBy(source.accessKeyId).map((r) => r.action)).toContain('AssumeRole');
    expect(run.stdout + run.stderr).not.toContain(source.secretAccessKey);
  });

  it('refuses the wrong account for a static profile with exit 4', async () => {
    const key = sts.issueKey({ prefix: 'AKIA', account: '999988887777' });
    await writeProfiles(
      '[profile dev]\nregion = us-east-1\n',
      `[dev]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
    );
    const run = await sandbox.run(['check', '--profile', 'dev', '--expect-account', '123456789012']);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/999988887777/);
    expect(run.stderr).toMatch(/123456789012/);
  });
});
