import { describe, expect, it, vi } from 'vitest';
import { readEnvironmentCredentials } from '../../src/credentials/env-source.js';
import type { ResolvedCredentials } from '../../src/credentials/types.js';
import { isolatedAwsEnv } from './support/isolated-aws-env.js';
import { problemOf } from './support/problem-of.js';
import { sampleKeys } from './support/sample-credentials.js';

describe('readEnvironmentCredentials', () => {
  it('reads the key variables, the expiration and the region', async () => {
    const keys = sampleKeys({ expiration: new Date('2030-01-01T01:00:00Z') });
    const env = {
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      AWS_SESSION_TOKEN: keys.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T01:00:00Z',
      AWS_DEFAULT_REGION: 'sa-east-1',
    };
    const resolved = await readEnvironmentCredentials({ env, now: () => new Date('2030-01-01T00:00:00Z') });
    expect(resolved).toEqual({
      credentials: keys,
      source: {
        kind: 'env',
        description: `environment (AWS_ACCESS_KEY_ID ${keys.accessKeyId.slice(0, 4)}…${keys.accessKeyId.slice(-4)})`,
      },
      region: 'sa-east-1',
    });
  });

  it('names what is wrong, never the values', async () => {
    const keys = sampleKeys();
    const halfSet = await problemOf(
      readEnvironmentCredentials({ env: { AWS_ACCESS_KEY_ID: keys.accessKeyId } }),
    );
    expect(halfSet).toMatchObject({
      code: 'MISSING_FIELD',
      problem: 'The environment has AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY.',
    });
    const noToken = await problemOf(
      readEnvironmentCredentials({
        env: { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
      }),
    );
    expect(noToken.code).toBe('MISSING_FIELD');
    expect(noToken.problem).toMatch(/^environment: environment variable AWS_SESSION_TOKEN is missing/);
    const expired = await problemOf(
      readEnvironmentCredentials({
        env: {
          AWS_ACCESS_KEY_ID: keys.accessKeyId,
          AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
          AWS_SESSION_TOKEN: keys.sessionToken,
          AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z',
        },
      }),
    );
    expect(expired.code).toBe('EXPIRED');
    const badId = await problemOf(
      readEnvironmentCredentials({
        env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
      }),
    );
    expect(badId.problem).toBe(
      'environment: environment variable AWS_ACCESS_KEY_ID is not an access key id: expected AKIA or ASIA followed by 16 capital letters or digits, got 4 characters.',
    );
    for (const problem of [halfSet, noToken, expired, badId]) {
      expect(problem.message).not.toContain(keys.secretAccessKey);
      expect(problem.message).not.toContain(keys.accessKeyId);
    }
  });

  it('resolves AWS_PROFILE through the profile source; keys win over it', async () => {
    const fromProfile: ResolvedCredentials = {
      credentials: sampleKeys(),
      source: { kind: 'profile', description: 'profile dev (sso)', profile: 'dev' },
      region: 'us-east-2',
    };
    const resolveProfile = vi.fn(async () => fromProfile);
    const prompt = async () => '123456';
    const resolved = await readEnvironmentCredentials({
      env: { AWS_PROFILE: 'dev' },
      resolveProfile,
      promptMfaCode: prompt,
      region: 'eu-west-1',
    });
    expect(resolveProfile).toHaveBeenCalledWith(
      expect.objectContaining({ profile: 'dev', promptMfaCode: prompt, region: 'eu-west-1' }),
    );
    expect(resolved).toEqual({
      credentials: fromProfile.credentials,
      source: { kind: 'env', description: 'environment AWS_PROFILE: profile dev (sso)', profile: 'dev' },
      region: 'us-east-2',
    });

    const keys = sampleKeys({ prefix: 'AKIA' });
    const both = await readEnvironmentCredentials({
      env: {
        AWS_PROFILE: 'dev',
        AWS_ACCESS_KEY_ID: keys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      },
      resolveProfile,
    });
    expect(both.credentials.accessKeyId).toBe(keys.accessKeyId);
    expect(resolveProfile).toHaveBeenCalledTimes(1);
  });

  it('resolves AWS_PROFILE for real from the shared files', async () => {
    const aws = await isolatedAwsEnv();
    const keys = sampleKeys({ prefix: 'AKIA' });
    await aws.writeCredentials(
      `[ci]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
    );
    await expect(readEnvironmentCredentials({ env: { AWS_PROFILE: 'ci' } })).resolves.toMatchObject({
      credentials: { accessKeyId: keys.accessKeyId },
      source: { kind: 'env', profile: 'ci', description: 'environment AWS_PROFILE: profile ci (static)' },
    });
  });

  it('with neither keys nor AWS_PROFILE, is NOT_FOUND', async () => {
    expect(await problemOf(readEnvironmentCredentials({ env: { HOME: '/nowhere' } }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'The environment has neither AWS_ACCESS_KEY_ID nor AWS_PROFILE.',
    });
  });
});
