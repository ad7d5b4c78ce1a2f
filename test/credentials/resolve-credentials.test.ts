import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CredentialProblem } from '../../src/credentials/errors.js';
import { resolveCredentials } from '../../src/credentials/resolve-credentials.js';
import type { ResolvedCredentials } from '../../src/credentials/types.js';
import { isolatedAwsEnv } from './support/isolated-aws-env.js';
import { problemOf } from './support/problem-of.js';
import { envText, sampleKeys } from './support/sample-credentials.js';
import { tempDir } from './support/temp-dir.js';

function resolvedFrom(kind: 'profile' | 'env', description: string): ResolvedCredentials {
  return { credentials: sampleKeys(), source: { kind, description } };
}

async function setup() {
  const aws = await isolatedAwsEnv();
  const dir = await tempDir();
  const credentialsFile = path.join(dir, '.cred-supervisor', 'credentials');
  const profileKeys = sampleKeys({ prefix: 'AKIA' });
  const envKeys = sampleKeys({ prefix: 'AKIA' });
  await aws.writeCredentials(
    `[dev]\naws_access_key_id = ${profileKeys.accessKeyId}\naws_secret_access_key = ${profileKeys.secretAccessKey}\n`,
  );
  const env = { AWS_ACCESS_KEY_ID: envKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: envKeys.secretAccessKey };
  return { dir, credentialsFile, profileKeys, envKeys, env };
}

describe('resolveCredentials: file, then --profile, then the environment', () => {
  it('uses the file when it exists, over --profile and the environment', async () => {
    const { credentialsFile, env } = await setup();
    await mkdir(path.dirname(credentialsFile));
    const fileKeys = sampleKeys({ prefix: 'AKIA' });
    await writeFile(credentialsFile, envText(fileKeys), { mode: 0o600 });
    const resolved = await resolveCredentials({ credentialsFile, profile: 'dev', env });
    expect(resolved.source.kind).toBe('file');
    expect(resolved.credentials.accessKeyId).toBe(fileKeys.accessKeyId);
  });

  it('reports a file that exists but is bad instead of falling through', async () => {
    const { credentialsFile, env } = await setup();
    await mkdir(path.dirname(credentialsFile));
    await writeFile(credentialsFile, envText(sampleKeys()), { mode: 0o600 });
    await chmod(credentialsFile, 0o644);
    const resolveProfile = vi.fn();
    const readEnvironment = vi.fn();
    const problem = await problemOf(
      resolveCredentials({ credentialsFile, profile: 'dev', env }, { resolveProfile, readEnvironment }),
    );
    expect(problem.code).toBe('UNSAFE_PERMISSIONS');
    await writeFile(credentialsFile, '');
    await chmod(credentialsFile, 0o600);
    expect(
      (await problemOf(resolveCredentials({ credentialsFile, env }, { resolveProfile, readEnvironment })))
        .code,
    ).toBe('NOT_READY');
    expect(resolveProfile).not.toHaveBeenCalled();
    expect(readEnvironment).not.toHaveBeenCalled();
  });

  it('without the file, uses --profile (for real, from the shared files) over the environment', async () => {
    const { credentialsFile, profileKeys, env } = await setup();
    const resolved = await resolveCredentials({ credentialsFile, profile: 'dev', env });
    expect(resolved).toMatchObject({
      credentials: { accessKeyId: profileKeys.accessKeyId },
      source: { kind: 'profile', profile: 'dev' },
    });
  });

  it('a failing --profile is reported, not replaced by the environment', async () => {
    const { credentialsFile, env } = await setup();
    const readEnvironment = vi.fn();
    const problem = await problemOf(
      resolveCredentials({ credentialsFile, profile: 'nope', env }, { readEnvironment }),
    );
    expect(problem.code).toBe('PROFILE_FAILED');
    expect(readEnvironment).not.toHaveBeenCalled();
  });

  it('without the file or --profile, uses the environment', async () => {
    const { credentialsFile, envKeys, env } = await setup();
    await expect(resolveCredentials({ credentialsFile, env })).resolves.toMatchObject({
      credentials: { accessKeyId: envKeys.accessKeyId },
      source: { kind: 'env' },
    });
  });

  it('passes the region, MFA prompt and clock to the sources', async () => {
    const { credentialsFile } = await setup();
    const now = () => new Date('2030-01-01T00:00:00Z');
    const promptMfaCode = async () => '123456';
    const readFile = vi.fn(async () => {
      throw new CredentialProblem('NOT_FOUND', `${credentialsFile} does not exist.`);
    });
    const resolveProfile = vi.fn(async () => resolvedFrom('profile', 'profile dev (sso)'));
    await resolveCredentials(
      { credentialsFile, profile: 'dev', region: 'eu-west-3', promptMfaCode, now },
      { readFile, resolveProfile },
    );
    expect(readFile).toHaveBeenCalledWith(credentialsFile, { now });
    expect(resolveProfile).toHaveBeenCalledWith({
      profile: 'dev',
      region: 'eu-west-3',
      promptMfaCode,
      now,
      credentialsFile,
    });
  });

  it('with nothing anywhere, is NOT_FOUND listing what was tried, with the fix', async () => {
    const { credentialsFile } = await setup();
    const problem = await problemOf(resolveCredentials({ credentialsFile, env: {} }));
    expect(problem).toMatchObject({
      code: 'NOT_FOUND',
      problem: `No credentials found. Tried the file (${credentialsFile} does not exist); --profile (not given); the environment (it has neither AWS_ACCESS_KEY_ID nor AWS_PROFILE).`,
      fix: `Write the file, e.g. (umask 077; aws configure export-credentials --format env > ${credentialsFile}), or pass --profile NAME.`,
    });
  });
});
