/**
 * A detached `cred-supervisor watch` (no terminal) whose profile assumes a role with MFA: it says a code
 * is needed and how to give it, and `cred-supervisor mfa CODE` from another terminal completes it.
 */
import { execa } from 'execa';
import { beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { LocalSts } from '../../src/demo/local-sts.js';
import { running, startWatch } from '../support/live-watch.js';
import { assertBuilt, CLI, waitUntil } from '../support/watch-session.js';
import { isolatedAwsEnv } from './support/isolated-aws-env.js';

const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/me';

describe('watch: an MFA code answered from another pane', () => {
  beforeAll(() => assertBuilt());

  it('asks, takes `cred-supervisor mfa CODE`, assumes the role and starts the child', async () => {
    const sts = await LocalSts.start({ mfaCode: '246810' });
    onTestFinished(() => sts.close());
    const aws = await isolatedAwsEnv();
    const base = sts.issueKey({ prefix: 'AKIA' });
    await aws.writeCredentials(
      `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
    );
    await aws.writeConfig(
      `[profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/Deploy\nsource_profile = base\nmfa_serial = ${MFA_SERIAL}\nregion = eu-west-1\n`,
    );
    vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: aws.home,
      AWS_CONFIG_FILE: aws.configFile,
      AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const watch = await startWatch(env, ['--profile', 'deploy']);
    await waitUntil(
      () =>
        watch.stderr.includes(
          `MFA code needed for ${MFA_SERIAL} (profile deploy): run \`cred-supervisor mfa CODE\``,
        ),
      () => `the MFA question; stderr: ${watch.stderr}`,
      20_000,
      100,
    );
    const answer = await execa(process.execPath, [CLI, 'mfa', '246810'], {
      cwd: watch.dir,
      env,
      extendEnv: false,
      reject: false,
    });
    expect(answer.stdout).toBe('MFA code handed to the supervisor for profile deploy.');
    await waitUntil(
      () => running(watch),
      () => `running; stderr: ${watch.stderr}`,
      20_000,
      100,
    );
    expect(sts.requests.some((r) => r.action === 'AssumeRole' && r.status === 200)).toBe(true);
    expect(watch.stderr).not.toContain('246810');
  });
});
