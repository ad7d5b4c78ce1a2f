/**
 * A whole IAM Identity Center set-up for one test: an isolated HOME with an SSO profile in the shared
 * config, the local fake STS and the local fake SSO portal/OIDC, and the SDK pointed at both.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished, vi } from 'vitest';
import { LocalSso, type LocalSsoOptions, ssoEndpointEnv } from '../../src/demo/local-sso.js';
import { LocalSts } from '../../src/demo/local-sts.js';
import { writeSsoCache } from '../../src/sso/sso-cache.js';
import { ssoCacheFile } from '../../src/sso/sso-cache-path.js';
import { type IsolatedAwsEnv, isolatedAwsEnv } from '../credentials/support/isolated-aws-env.js';

/** PATH as the test run started, with the machine's real AWS CLI (v1 and botocore here). */
export const MACHINE_PATH = process.env.PATH;

/** A directory to put first on PATH: an `aws` that is the AWS CLI v1 (no `sso login`), whatever is installed. */
export const FAKE_AWS_V1 = fileURLToPath(new URL('../fixtures/fake-aws-v1', import.meta.url));

export const SSO_ACCOUNT = '111122223333';
export const SSO_ROLE = 'Developer';
export const START_URL = 'https://corp.awsapps.com/start';

export interface SsoWorld {
  aws: IsolatedAwsEnv;
  sts: LocalSts;
  sso: LocalSso;
  /** The environment a child process needs to see the same world (HOME, config, endpoints). */
  env: NodeJS.ProcessEnv;
}

export const SESSION_CONFIG = [
  '[profile sso-dev]',
  'sso_session = corp',
  `sso_account_id = ${SSO_ACCOUNT}`,
  `sso_role_name = ${SSO_ROLE}`,
  'region = us-west-2',
  '',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = us-east-1',
  '',
  '[profile legacy-dev]',
  `sso_start_url = ${START_URL}`,
  'sso_region = us-east-1',
  `sso_account_id = ${SSO_ACCOUNT}`,
  `sso_role_name = ${SSO_ROLE}`,
  '',
].join('\n');

export async function ssoWorld(options: LocalSsoOptions = {}, config = SESSION_CONFIG): Promise<SsoWorld> {
  const aws = await isolatedAwsEnv();
  await aws.writeConfig(config);
  const sts = await LocalSts.start();
  const sso = await LocalSso.start(sts, options);
  onTestFinished(async () => {
    await sso.close();
    await sts.close();
  });
  const endpoints = { ...ssoEndpointEnv(sso.url), AWS_ENDPOINT_URL_STS: sts.url };
  // The built-in login runs when `aws` has no `sso login`: make that so here, whatever is installed.
  const pathWithV1 = `${FAKE_AWS_V1}${path.delimiter}${process.env.PATH}`;
  vi.stubEnv('PATH', pathWithV1);
  for (const [name, value] of Object.entries(endpoints)) vi.stubEnv(name, value);
  const env: NodeJS.ProcessEnv = {
    PATH: pathWithV1,
    HOME: aws.home,
    AWS_CONFIG_FILE: aws.configFile,
    AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    ...endpoints,
  };
  return { aws, sts, sso, env };
}

/**
 * As after `aws sso login` for session corp: tokens the fake knows, in the cache, expiring in
 * `expiresInMs` (negative: already expired). Returns them so a test can look for them in output.
 */
export async function writeLogin(world: SsoWorld, expiresInMs: number) {
  const tokens = world.sso.issueTokens();
  await writeSsoCache(ssoCacheFile({ kind: 'session', sessionName: 'corp' }, world.env), {
    startUrl: START_URL,
    region: 'us-east-1',
    ...tokens,
    expiresAt: new Date(Date.now() + expiresInMs),
    registrationExpiresAt: new Date(Date.now() + 90 * 86_400_000),
  });
  return tokens;
}
