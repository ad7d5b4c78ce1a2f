/**
 * A profile `deploy` that assumes a role with MFA (code 246810) through the local STS, from static
 * keys in profile `base`, in an isolated HOME: the environment a supervisor needs to use it.
 */
import { onTestFinished, vi } from 'vitest';
import { LocalSts } from '../../../src/demo/local-sts.js';
import { isolatedAwsEnv } from './isolated-aws-env.js';

export const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/me';
export const MFA_CODE = '246810';

export async function mfaDeployProfile(): Promise<{ sts: LocalSts; env: NodeJS.ProcessEnv }> {
  const sts = await LocalSts.start({ mfaCode: MFA_CODE });
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
  return { sts, env };
}
