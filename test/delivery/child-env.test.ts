import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildChildEnv, INHERITED_CREDENTIAL_VARIABLES } from '../../src/delivery/child-env.js';
import { writeNeutralAwsConfig } from '../../src/delivery/neutral-aws-config.js';
import { neutralAwsConfigPaths, renderNeutralAwsConfig } from '../../src/delivery/neutral-aws-paths.js';
import { tempDir } from './endpoint-helpers.js';

/** A shell that has everything a developer's might: stale keys, a profile, container and web identity. */
const SHELL: Record<string, string> = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/dev',
  AWS_ACCESS_KEY_ID: 'ASIASTALESHELLKEY001',
  AWS_SECRET_ACCESS_KEY: 'stale-secret',
  AWS_SESSION_TOKEN: 'stale-token',
  AWS_SECURITY_TOKEN: 'stale-token',
  AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z',
  AWS_PROFILE: 'personal',
  AWS_DEFAULT_PROFILE: 'personal',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/old',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 'old-token',
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/old/token',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
  AWS_ROLE_ARN: 'arn:aws:iam::111111111111:role/Other',
  AMAZON_ACCESS_KEY_ID: 'AKIAAMAZONPREFIXED01',
  AMAZON_SECRET_ACCESS_KEY: 'amazon-secret',
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
  AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4567',
  CDK_HOME: '/tmp/cdk-home',
  CDK_DISABLE_CLI_TELEMETRY: '1',
  AWS_CONFIG_FILE: '/home/dev/.aws/config',
  AWS_SHARED_CREDENTIALS_FILE: '/home/dev/.aws/credentials',
};

const ENDPOINT = { url: 'http://127.0.0.1:40000/abc', tokenFile: '/work/.cred-supervisor/endpoint.token' };
const CREDS = {
  accessKeyId: 'ASIADELIVEREDKEY0001',
  secretAccessKey: 'delivered-secret',
  sessionToken: 'delivered-token',
  expiration: new Date('2030-01-01T00:00:00.000Z'),
};

const KEPT = [
  'PATH',
  'HOME',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
  'CDK_HOME',
  'CDK_DISABLE_CLI_TELEMETRY',
];

describe('buildChildEnv', () => {
  it('endpoint: removes every inherited credential source and points the SDK at the endpoint', () => {
    const env = buildChildEnv({
      baseEnv: SHELL,
      delivery: 'endpoint',
      endpoint: ENDPOINT,
      neutralConfigDir: '/work/.cred-supervisor',
    });
    const neutral = neutralAwsConfigPaths('/work/.cred-supervisor');
    expect(env).toEqual({
      ...Object.fromEntries(KEPT.map((name) => [name, SHELL[name]])),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: ENDPOINT.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: ENDPOINT.tokenFile,
      AWS_CONFIG_FILE: neutral.configFile,
      AWS_SHARED_CREDENTIALS_FILE: neutral.credentialsFile,
      AWS_CREDENTIAL_PROFILES_FILE: neutral.credentialsFile,
    });
  });

  it('env: static keys with their expiration, nothing inherited', () => {
    const env = buildChildEnv({ baseEnv: SHELL, delivery: 'env', credentials: CREDS });
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDS.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00.000Z',
      // The person's own files stay: with env keys first in the chain they cannot win.
      AWS_CONFIG_FILE: SHELL.AWS_CONFIG_FILE,
    });
    for (const name of ['AWS_PROFILE', 'AWS_SECURITY_TOKEN', 'AMAZON_ACCESS_KEY_ID', 'AWS_ROLE_ARN']) {
      expect(env, name).not.toHaveProperty(name);
    }
    expect(Object.keys(env).filter((name) => name.startsWith('AWS_CONTAINER_'))).toEqual([]);
  });

  it('env: a long-term key gets no session token or expiration from the shell', () => {
    const env = buildChildEnv({
      baseEnv: SHELL,
      delivery: 'env',
      credentials: { accessKeyId: 'AKIALONGTERM00000001', secretAccessKey: 's' },
    });
    expect(env).not.toHaveProperty('AWS_SESSION_TOKEN');
    expect(env).not.toHaveProperty('AWS_CREDENTIAL_EXPIRATION');
  });

  it('profile: AWS_PROFILE for the child, the real config files kept', () => {
    const env = buildChildEnv({ baseEnv: SHELL, delivery: 'profile', profile: 'dev-sso' });
    expect(env.AWS_PROFILE).toBe('dev-sso');
    expect(env).not.toHaveProperty('AWS_DEFAULT_PROFILE');
    expect(env).not.toHaveProperty('AWS_ACCESS_KEY_ID');
    expect(env.AWS_CONFIG_FILE).toBe(SHELL.AWS_CONFIG_FILE);
    expect(env.AWS_SHARED_CREDENTIALS_FILE).toBe(SHELL.AWS_SHARED_CREDENTIALS_FILE);
  });

  it('always removes the documented variables and any AWS_CONTAINER_*', () => {
    const baseEnv = Object.fromEntries(INHERITED_CREDENTIAL_VARIABLES.map((name) => [name, 'x']));
    baseEnv.AWS_CONTAINER_SOMETHING_NEW = 'x';
    for (const env of [
      buildChildEnv({ baseEnv, delivery: 'profile', profile: 'p' }),
      buildChildEnv({ baseEnv, delivery: 'env', credentials: CREDS }),
      buildChildEnv({ baseEnv, delivery: 'endpoint', endpoint: ENDPOINT, neutralConfigDir: '/s' }),
    ]) {
      expect(env).not.toHaveProperty('AWS_CONTAINER_SOMETHING_NEW');
      for (const name of INHERITED_CREDENTIAL_VARIABLES) {
        if (env[name] !== undefined) expect(env[name], name).not.toBe('x');
      }
    }
  });

  it('endpoint: no legacy credential name reaches the child, nor a credentials file the Java SDK v1 would read', () => {
    const env = buildChildEnv({
      baseEnv: {
        PATH: '/bin',
        AWS_ACCESS_KEY: 'AKIAOLDNAMEXAMPLE000',
        AWS_SECRET_KEY: 'old-name-secret',
        AWS_CREDENTIAL_PROFILES_FILE: '/home/me/.aws/credentials',
      },
      delivery: 'endpoint',
      endpoint: ENDPOINT,
      neutralConfigDir: '/s',
    });
    expect(env).not.toHaveProperty('AWS_ACCESS_KEY');
    expect(env).not.toHaveProperty('AWS_SECRET_KEY');
    expect(env.AWS_CREDENTIAL_PROFILES_FILE).toBe(env.AWS_SHARED_CREDENTIALS_FILE);
    expect(JSON.stringify(env)).not.toContain('old-name-secret');
  });

  it('exports the resolved region as both AWS_REGION and AWS_DEFAULT_REGION, and drops undefined values', () => {
    const bare = { PATH: '/bin', UNSET: undefined };
    expect(buildChildEnv({ baseEnv: bare, delivery: 'profile', profile: 'p', region: 'us-west-2' })).toEqual({
      PATH: '/bin',
      AWS_PROFILE: 'p',
      AWS_REGION: 'us-west-2',
      AWS_DEFAULT_REGION: 'us-west-2',
    });
    // The region rule already honoured the shell's variables; the child gets its one answer twice
    // (botocore-based tools read only AWS_DEFAULT_REGION, the JavaScript SDK only AWS_REGION).
    const withDefault = { AWS_DEFAULT_REGION: 'eu-central-1' };
    expect(
      buildChildEnv({ baseEnv: withDefault, delivery: 'profile', profile: 'p', region: 'eu-central-1' }),
    ).toEqual({ AWS_DEFAULT_REGION: 'eu-central-1', AWS_REGION: 'eu-central-1', AWS_PROFILE: 'p' });
  });

  it('does not modify the base environment', () => {
    const baseEnv = { ...SHELL };
    buildChildEnv({ baseEnv, delivery: 'endpoint', endpoint: ENDPOINT, neutralConfigDir: '/s' });
    expect(baseEnv).toEqual(SHELL);
  });

  it('names what is missing for each delivery, without secrets', () => {
    expect(() => buildChildEnv({ baseEnv: SHELL, delivery: 'endpoint', neutralConfigDir: '/s' })).toThrow(
      'Expected `endpoint` (the running credential endpoint) for `--delivery endpoint`, got `undefined`.',
    );
    expect(() => buildChildEnv({ baseEnv: SHELL, delivery: 'endpoint', endpoint: ENDPOINT })).toThrow(
      'Expected `neutralConfigDir` (the neutral AWS config dir) for `--delivery endpoint`, got `undefined`.',
    );
    expect(() => buildChildEnv({ baseEnv: SHELL, delivery: 'env' })).toThrow(
      'Expected `credentials` (the verified credentials) for `--delivery env`, got `undefined`.',
    );
    expect(() => buildChildEnv({ baseEnv: SHELL, delivery: 'profile', profile: '' })).toThrow(
      "Expected `profile` (the AWS profile name) for `--delivery profile`, got `''`.",
    );
  });
});

describe('neutral AWS config files', () => {
  it('keep the region and hold no credentials, mode 600', async () => {
    const dir = path.join(await tempDir(), 'state');
    const paths = await writeNeutralAwsConfig({ dir, region: 'eu-south-2' });
    expect(paths).toEqual(neutralAwsConfigPaths(dir));
    const config = await readFile(paths.configFile, 'utf8');
    expect(config).toMatch(/^\[default\]\nregion = eu-south-2\n$/m);
    const credentials = await readFile(paths.credentialsFile, 'utf8');
    for (const text of [config, credentials]) {
      expect(text).not.toMatch(/aws_access_key_id|aws_secret_access_key|credential_process|sso_/);
    }
    expect(credentials).not.toContain('[');
    expect((await stat(paths.configFile)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.credentialsFile)).mode & 0o777).toBe(0o600);
  });

  it('have no profile at all when no region is known, and are rewritten in place', async () => {
    const dir = path.join(await tempDir(), 'state');
    await writeNeutralAwsConfig({ dir, region: 'us-east-1' });
    const paths = await writeNeutralAwsConfig({ dir });
    expect(await readFile(paths.configFile, 'utf8')).not.toContain('[default]');
  });

  it('refuse a region that could add lines to the file', () => {
    expect(() => renderNeutralAwsConfig('us-east-1\naws_access_key_id = AKIA')).toThrow(
      /^Expected `region` to be an AWS region such as `eu-west-1`, got `us-east-1/,
    );
    expect(() => renderNeutralAwsConfig('')).toThrow(/Expected `region`/);
  });
});
