import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { describeProfile } from '../../src/credentials/describe-profile.js';
import { terminalMfaPrompt } from '../../src/credentials/mfa-prompt.js';
import { profileFilesToWatch } from '../../src/credentials/profile-files.js';
import { resolveProfileCredentials } from '../../src/credentials/profile-source.js';
import { FakeSts, type FakeStsKey } from '../support/fake-sts.js';
import { startFakeSsoPortal } from './support/fake-sso-portal.js';
import { isolatedAwsEnv } from './support/isolated-aws-env.js';
import { problemOf } from './support/problem-of.js';
import { credentialProcessJson, sampleKeys } from './support/sample-credentials.js';
import { tempDir } from './support/temp-dir.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/credential-process.mjs', import.meta.url));
const ROLE_ARN = 'arn:aws:iam::111122223333:role/Deploy';
const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/me';

async function fakeSts(): Promise<FakeSts> {
  const sts = await FakeSts.start();
  onTestFinished(() => sts.close());
  return sts;
}

function staticSection(
  name: string,
  key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) {
  return [
    `[${name}]`,
    `aws_access_key_id = ${key.accessKeyId}`,
    `aws_secret_access_key = ${key.secretAccessKey}`,
    ...(key.sessionToken ? [`aws_session_token = ${key.sessionToken}`] : []),
    '',
  ].join('\n');
}

/** A `base` static profile holding a fake-STS key and a `deploy` role profile assumed with it. */
async function assumeRoleSetup(options: { mfa?: boolean } = {}) {
  const aws = await isolatedAwsEnv();
  const sts = await fakeSts();
  vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
  const base = sts.issueKey({ prefix: 'AKIA' });
  await aws.writeCredentials(staticSection('base', base));
  await aws.writeConfig(
    [
      '[profile deploy]',
      `role_arn = ${ROLE_ARN}`,
      'source_profile = base',
      'role_session_name = me',
      'region = eu-west-1',
      ...(options.mfa ? [`mfa_serial = ${MFA_SERIAL}`] : []),
      '',
    ].join('\n'),
  );
  return { aws, sts, base };
}

function assumedKeyOf(sts: FakeSts, accessKeyId: string): FakeStsKey | undefined {
  return sts.keys.get(accessKeyId);
}

describe('static and credential_process profiles', () => {
  it('resolves a static profile, with the region from the config file', async () => {
    const aws = await isolatedAwsEnv();
    const keys = sampleKeys({ prefix: 'AKIA' });
    await aws.writeCredentials(staticSection('dev', keys));
    await aws.writeConfig('[profile dev]\nregion = ap-southeast-2\n');
    await expect(resolveProfileCredentials({ profile: 'dev' })).resolves.toEqual({
      credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
      source: { kind: 'profile', description: 'profile dev (static)', profile: 'dev' },
      region: 'ap-southeast-2',
    });
  });

  it('re-reads the files at every call: no stale credentials after `aws configure`', async () => {
    const aws = await isolatedAwsEnv();
    const first = sampleKeys({ prefix: 'AKIA' });
    const second = sampleKeys({ prefix: 'AKIA' });
    await aws.writeCredentials(staticSection('dev', first));
    expect((await resolveProfileCredentials({ profile: 'dev' })).credentials.accessKeyId).toBe(
      first.accessKeyId,
    );
    await aws.writeCredentials(staticSection('dev', second));
    expect((await resolveProfileCredentials({ profile: 'dev' })).credentials.accessKeyId).toBe(
      second.accessKeyId,
    );
  });

  it('runs a credential_process, afresh at every call', async () => {
    const aws = await isolatedAwsEnv();
    const output = path.join(aws.home, 'process-output.json');
    await aws.writeConfig(
      `[profile helper]\ncredential_process = "${process.execPath}" "${FIXTURE}" "${output}"\n`,
    );
    const first = sampleKeys({ expiration: new Date(Date.now() + 900_000) });
    await writeFile(output, credentialProcessJson(first));
    const resolved = await resolveProfileCredentials({ profile: 'helper' });
    expect(resolved).toMatchObject({
      credentials: first,
      source: { description: 'profile helper (process)' },
    });
    const second = sampleKeys({ expiration: new Date(Date.now() + 1_800_000) });
    await writeFile(output, credentialProcessJson(second));
    await expect(resolveProfileCredentials({ profile: 'helper' })).resolves.toMatchObject({
      credentials: second,
    });
  });

  it('reports a failing credential_process with its stderr but not its command line', async () => {
    const aws = await isolatedAwsEnv();
    const output = path.join(aws.home, 'process-output.json');
    const secretArgument = 'hunter2-this-is-a-password-in-argv-0123456789';
    await aws.writeConfig(
      `[profile helper]\ncredential_process = "${process.execPath}" "${FIXTURE}" "${output}" ${secretArgument}\n`,
    );
    await writeFile(output, 'FAIL:helper: your corporate login has expired\n');
    const problem = await problemOf(resolveProfileCredentials({ profile: 'helper' }));
    expect(problem.code).toBe('PROFILE_FAILED');
    expect(problem.message).toBe(
      'Profile helper (process): its credential_process failed: helper: your corporate login has expired (profile helper).',
    );
    expect(problem.message).not.toContain('hunter2');
  });

  it('says EXPIRED when the credential_process hands out expired credentials', async () => {
    const aws = await isolatedAwsEnv();
    const output = path.join(aws.home, 'process-output.json');
    await aws.writeConfig(
      `[profile helper]\ncredential_process = "${process.execPath}" "${FIXTURE}" "${output}"\n`,
    );
    await writeFile(output, credentialProcessJson(sampleKeys({ expiration: new Date(Date.now() - 60_000) })));
    expect((await problemOf(resolveProfileCredentials({ profile: 'helper' }))).code).toBe('EXPIRED');
  });

  it('an unknown profile names both files and how to create it', async () => {
    const aws = await isolatedAwsEnv();
    const problem = await problemOf(resolveProfileCredentials({ profile: 'nope' }));
    expect(problem).toMatchObject({
      code: 'PROFILE_FAILED',
      problem: `Profile nope is defined in neither ${aws.configFile} nor ${aws.credentialsFile}.`,
    });
    expect(problem.fix).toContain('aws configure sso --profile nope');
  });
});

describe('assume-role profiles against the fake STS', () => {
  it('assumes the role through AWS_ENDPOINT_URL_STS, signed by the source profile key', async () => {
    const { sts, base } = await assumeRoleSetup();
    const resolved = await resolveProfileCredentials({ profile: 'deploy' });
    const assumed = assumedKeyOf(sts, resolved.credentials.accessKeyId);
    expect(assumed?.arn).toBe('arn:aws:sts::111122223333:assumed-role/Deploy/me');
    expect(resolved).toEqual({
      credentials: {
        accessKeyId: assumed?.accessKeyId,
        secretAccessKey: assumed?.secretAccessKey,
        sessionToken: assumed?.sessionToken,
        expiration: assumed?.expiration,
      },
      source: { kind: 'profile', description: 'profile deploy (assume-role)', profile: 'deploy' },
      region: 'eu-west-1',
    });
    expect(sts.requests).toMatchObject([
      { action: 'AssumeRole', service: 'sts', accessKeyId: base.accessKeyId, status: 200 },
    ]);
  });

  it('honours the generic AWS_ENDPOINT_URL too, and assumes again at every call', async () => {
    const { sts } = await assumeRoleSetup();
    vi.stubEnv('AWS_ENDPOINT_URL_STS', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL', sts.url);
    const first = await resolveProfileCredentials({ profile: 'deploy' });
    const second = await resolveProfileCredentials({ profile: 'deploy' });
    expect(second.credentials.accessKeyId).not.toBe(first.credentials.accessKeyId);
    expect(sts.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(2);
  });

  it('says EXPIRED when the source credentials have expired', async () => {
    const { sts, base } = await assumeRoleSetup();
    sts.expireKey(base.accessKeyId);
    const problem = await problemOf(resolveProfileCredentials({ profile: 'deploy' }));
    expect(problem.code).toBe('EXPIRED');
    expect(problem.message).toMatch(
      /^Profile deploy \(assume-role\): the credentials it assumes the role with have expired/,
    );
  });

  it('says NETWORK, never expired, when STS cannot be reached', async () => {
    const { sts } = await assumeRoleSetup();
    await sts.goDown();
    const problem = await problemOf(resolveProfileCredentials({ profile: 'deploy' }));
    expect(problem.code).toBe('NETWORK');
    expect(problem.message).toMatch(
      /could not reach AWS \(ECONNREFUSED\).*does not mean the credentials expired/,
    );
  });
});

describe('MFA', () => {
  it('asks the injected prompt for the code and sends it with AssumeRole', async () => {
    const { sts, base } = await assumeRoleSetup({ mfa: true });
    const prompt = vi.fn(async () => '123456');
    const resolved = await resolveProfileCredentials({ profile: 'deploy', promptMfaCode: prompt });
    expect(prompt).toHaveBeenCalledExactlyOnceWith({ profile: 'deploy', mfaSerial: MFA_SERIAL });
    expect(assumedKeyOf(sts, resolved.credentials.accessKeyId)).toBeDefined();
    expect(sts.requests).toMatchObject([
      { action: 'AssumeRole', accessKeyId: base.accessKeyId, status: 200 },
    ]);
  });

  it('a wrong code is refused by STS and reported as such', async () => {
    const { sts } = await assumeRoleSetup({ mfa: true });
    const problem = await problemOf(
      resolveProfileCredentials({ profile: 'deploy', promptMfaCode: async () => '000000' }),
    );
    expect(problem).toMatchObject({
      code: 'PROFILE_FAILED',
      problem: 'Profile deploy (assume-role): STS refused the MFA code (AccessDenied).',
    });
    expect(sts.requests).toMatchObject([{ action: 'AssumeRole', status: 403, errorCode: 'AccessDenied' }]);
  });

  it('a code that is not 6 digits is refused before calling STS', async () => {
    const { sts } = await assumeRoleSetup({ mfa: true });
    const problem = await problemOf(
      resolveProfileCredentials({ profile: 'deploy', promptMfaCode: async () => '12ab' }),
    );
    expect(problem).toMatchObject({ code: 'MFA_REQUIRED' });
    expect(problem.message).toContain('must be 6 digits, got 4 characters');
    expect(sts.requests).toEqual([]);
  });

  it('without a terminal, refuses clearly instead of blocking, and calls nothing', async () => {
    const { sts } = await assumeRoleSetup({ mfa: true });
    const problem = await problemOf(
      resolveProfileCredentials({
        profile: 'deploy',
        credentialsFile: '/work/dir/.cred-supervisor/credentials',
      }),
    );
    expect(problem).toMatchObject({
      code: 'MFA_REQUIRED',
      problem: `Profile deploy needs an MFA code (${MFA_SERIAL}) and no terminal is attached to ask for it.`,
      fix: 'Run cred-supervisor in a terminal to enter the code or write credentials to the file: (umask 077; aws configure export-credentials --profile deploy --format env > /work/dir/.cred-supervisor/credentials).',
    });
    expect(sts.requests).toEqual([]);
  });

  it('the terminal prompt reads a line from a TTY, and there is none without a TTY', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString();
    });
    const prompt = terminalMfaPrompt({ input, output });
    expect(prompt).toBeDefined();
    const answer = prompt?.({ profile: 'deploy', mfaSerial: MFA_SERIAL });
    input.write(' 654321 \n');
    await expect(answer).resolves.toBe('654321');
    expect(shown).toContain(`MFA code for ${MFA_SERIAL} (profile deploy): `);
    expect(terminalMfaPrompt({ input: new PassThrough(), output })).toBeUndefined();
  });
});

describe('SSO profiles', () => {
  async function ssoSetup() {
    const aws = await isolatedAwsEnv();
    await aws.writeConfig(
      [
        '[profile sso-dev]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Developer',
        'region = us-west-2',
        '',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
        '',
      ].join('\n'),
    );
    await mkdir(aws.ssoCacheDir, { recursive: true });
    const tokenFile = path.join(aws.ssoCacheDir, `${createHash('sha1').update('corp').digest('hex')}.json`);
    const writeToken = (accessToken: string, expiresAt: Date) =>
      writeFile(
        tokenFile,
        JSON.stringify({ accessToken, expiresAt: expiresAt.toISOString(), region: 'us-east-1' }),
      );
    return { aws, writeToken };
  }

  it('without an SSO login, says SSO_EXPIRED with the `aws sso login` fix', async () => {
    await ssoSetup();
    const problem = await problemOf(resolveProfileCredentials({ profile: 'sso-dev' }));
    expect(problem).toMatchObject({
      code: 'SSO_EXPIRED',
      problem: 'Profile sso-dev (sso): the SSO session is missing or has expired.',
      fix: 'Run: npx cred-supervisor login --profile sso-dev',
    });
  });

  it('with an expired SSO token, says SSO_EXPIRED', async () => {
    const { writeToken } = await ssoSetup();
    await writeToken('expired-token', new Date(Date.now() - 60_000));
    expect((await problemOf(resolveProfileCredentials({ profile: 'sso-dev' }))).code).toBe('SSO_EXPIRED');
  });

  it('for a role assumed with SSO credentials, names the SSO profile to log in with', async () => {
    const { aws } = await ssoSetup();
    await writeFile(aws.configFile, `[profile deploy]\nrole_arn = ${ROLE_ARN}\nsource_profile = sso-dev\n`, {
      flag: 'a',
    });
    expect(await problemOf(resolveProfileCredentials({ profile: 'deploy' }))).toMatchObject({
      code: 'SSO_EXPIRED',
      fix: 'Run: npx cred-supervisor login --profile sso-dev',
    });
  });

  it('after `aws sso login` (a fresh token in the cache), gets role credentials from the portal', async () => {
    const { writeToken } = await ssoSetup();
    const keys = sampleKeys({ expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000) });
    const portal = await startFakeSsoPortal('fresh-token', () => keys);
    onTestFinished(() => portal.close());
    vi.stubEnv('AWS_ENDPOINT_URL_SSO', portal.url);
    await expect(resolveProfileCredentials({ profile: 'sso-dev' })).rejects.toMatchObject({
      code: 'SSO_EXPIRED',
    });

    await writeToken('fresh-token', new Date(Date.now() + 8 * 3_600_000));
    await expect(resolveProfileCredentials({ profile: 'sso-dev' })).resolves.toEqual({
      credentials: keys,
      source: { kind: 'profile', description: 'profile sso-dev (sso)', profile: 'sso-dev' },
      region: 'us-west-2',
    });
    expect(portal.requests).toEqual([
      { accountId: '111122223333', roleName: 'Developer', token: 'fresh-token' },
    ]);
  });
});

describe('describeProfile and profileFilesToWatch', () => {
  it('tells each kind of profile apart, with its region, and no secret', async () => {
    const aws = await isolatedAwsEnv();
    const keys = sampleKeys({ prefix: 'AKIA' });
    await aws.writeCredentials(staticSection('base', keys));
    await aws.writeConfig(
      [
        '[profile base]',
        'region = eu-north-1',
        '[profile mfa-role]',
        `role_arn = ${ROLE_ARN}`,
        'source_profile = base',
        `mfa_serial = ${MFA_SERIAL}`,
        '[profile plain-role]',
        `role_arn = ${ROLE_ARN}`,
        'credential_source = Environment',
        '[profile helper]',
        'credential_process = /bin/true',
        '[profile legacy-sso]',
        'sso_start_url = https://legacy.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_account_id = 111122223333',
        'sso_role_name = Admin',
        '[profile sso-dev]',
        'sso_session = corp',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
        '',
      ].join('\n'),
    );
    const base = await describeProfile('base');
    expect(base).toMatchObject({
      name: 'base',
      exists: true,
      kind: 'static',
      needsMfa: false,
      region: 'eu-north-1',
    });
    expect(JSON.stringify(base)).not.toContain(keys.secretAccessKey);
    await expect(describeProfile('mfa-role')).resolves.toMatchObject({
      kind: 'assume-role',
      needsMfa: true,
      mfaSerial: MFA_SERIAL,
      roleArn: ROLE_ARN,
      sourceProfile: 'base',
    });
    await expect(describeProfile('plain-role')).resolves.toMatchObject({
      kind: 'assume-role',
      needsMfa: false,
    });
    await expect(describeProfile('helper')).resolves.toMatchObject({ kind: 'process' });
    await expect(describeProfile('legacy-sso')).resolves.toMatchObject({
      kind: 'sso',
      ssoStartUrl: 'https://legacy.awsapps.com/start',
      ssoAccountId: '111122223333',
      ssoRoleName: 'Admin',
    });
    await expect(describeProfile('sso-dev')).resolves.toMatchObject({
      kind: 'sso',
      ssoSession: 'corp',
      ssoStartUrl: 'https://corp.awsapps.com/start',
    });
    await expect(describeProfile('missing')).resolves.toMatchObject({ exists: false, kind: 'unknown' });
  });

  it('lists the files the SDK reads, honouring AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and HOME', async () => {
    const home = await tempDir();
    expect(profileFilesToWatch({ HOME: home })).toEqual([
      path.join(home, '.aws', 'config'),
      path.join(home, '.aws', 'credentials'),
      path.join(home, '.aws', 'sso', 'cache'),
    ]);
    expect(
      profileFilesToWatch({
        HOME: home,
        AWS_CONFIG_FILE: '/etc/aws/config',
        AWS_SHARED_CREDENTIALS_FILE: '~/creds',
      }),
    ).toEqual(['/etc/aws/config', path.join(home, 'creds'), path.join(home, '.aws', 'sso', 'cache')]);
  });
});
