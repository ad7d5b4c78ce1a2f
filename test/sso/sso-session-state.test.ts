import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromIni } from '@aws-sdk/credential-providers';
import { describe, expect, it } from 'vitest';
import { resolveProfileCredentials } from '../../src/credentials/profile-source.js';
import { ssoCacheFile } from '../../src/sso/sso-cache-path.js';
import { readSsoProfile } from '../../src/sso/sso-profile.js';
import { inspectSsoSession } from '../../src/sso/sso-session-state.js';
import { SSO_ACCOUNT, SSO_ROLE, START_URL, ssoWorld, writeLogin } from '../support/sso-world.js';

const CACHE = () => ssoCacheFile({ kind: 'session', sessionName: 'corp' });

const loggedIn = writeLogin;

async function profile(name = 'sso-dev') {
  const found = await readSsoProfile(name);
  if (!found) throw new Error('not SSO');
  return found;
}

describe('the SSO session state', () => {
  it('logged in: session, expiry and last write, no refresh spent while one is not due, no token shown', async () => {
    const world = await ssoWorld();
    const tokens = await loggedIn(world, 8 * 3_600_000);
    const state = await inspectSsoSession(await profile());
    expect(state).toMatchObject({
      profile: 'sso-dev',
      session: 'corp',
      startUrl: START_URL,
      accountId: SSO_ACCOUNT,
      roleName: SSO_ROLE,
      loggedIn: true,
      refreshToken: 'not-checked',
      problem: null,
    });
    expect(Date.parse(state.tokenExpiresAt ?? '') - Date.now()).toBeGreaterThan(7 * 3_600_000);
    expect(state.lastRefresh).not.toBeNull();
    expect(world.sso.count('CreateToken')).toBe(0);
    for (const secret of Object.values(tokens)) expect(JSON.stringify(state)).not.toContain(secret);
  });

  it('a token about to expire is refreshed with the refresh token, and the SDK uses the new one', async () => {
    const world = await ssoWorld();
    const old = await loggedIn(world, 5 * 60_000);
    const state = await inspectSsoSession(await profile());
    expect(state.refreshToken).toBe('works');
    expect(world.sso.count('CreateToken', 'refresh_token')).toBe(1);
    const cached = JSON.parse(await readFile(CACHE(), 'utf8'));
    expect(cached.accessToken).not.toBe(old.accessToken);
    expect(cached.refreshToken).not.toBe(old.refreshToken);
    const credentials = await fromIni({ profile: 'sso-dev', ignoreCache: true })();
    expect(world.sts.keys.get(credentials.accessKeyId)?.state).toBe('valid');
    const portalCall = await world.sso.waitForRequest((r) => r.action === 'GetRoleCredentials');
    expect(portalCall.bearer).toBe(cached.accessToken);
  });

  it('the SSO session ended: the refresh is refused, the state says so with the login fix', async () => {
    const world = await ssoWorld();
    await loggedIn(world, 60_000);
    world.sso.endSession();
    const state = await inspectSsoSession(await profile());
    expect(state).toMatchObject({
      refreshToken: 'session-ended',
      problem: {
        message: 'The SSO token expires soon and cannot be refreshed: the SSO session has ended.',
        fix: 'Log in: cred-supervisor login --profile sso-dev (or aws sso login --sso-session corp)',
      },
    });
  });

  it('not logged in, and a corrupt cache file, are problems with the fix', async () => {
    await ssoWorld();
    expect((await inspectSsoSession(await profile())).problem?.message).toBe(
      'Not logged in (no cached SSO token).',
    );
    await mkdir(path.dirname(CACHE()), { recursive: true });
    await writeFile(CACHE(), '{"accessToken": "x', { mode: 0o600 });
    await chmod(CACHE(), 0o600);
    expect((await inspectSsoSession(await profile())).problem).toEqual({
      message: `SSO cache file ${CACHE()} is not valid JSON (corrupt or half-written).`,
      fix: `Remove it (rm ${CACHE()}) and log in again: aws sso login --sso-session corp`,
    });
  });
});

describe('the SDK against the fake, as the supervisor relies on it', () => {
  it('refreshes an expiring access token silently through CreateToken (refresh_token grant)', async () => {
    const world = await ssoWorld();
    const old = await loggedIn(world, 2 * 60_000);
    const credentials = await fromIni({ profile: 'sso-dev', ignoreCache: true })();
    expect(world.sts.keys.get(credentials.accessKeyId)?.state).toBe('valid');
    expect(world.sso.count('CreateToken', 'refresh_token')).toBe(1);
    expect(JSON.parse(await readFile(CACHE(), 'utf8')).accessToken).not.toBe(old.accessToken);
  });
});

describe('bad SSO set-ups get the fix', () => {
  it('a role the user no longer has (ForbiddenException) is not "log in again"', async () => {
    const world = await ssoWorld();
    await loggedIn(world, 8 * 3_600_000);
    const first = await resolveProfileCredentials({ profile: 'sso-dev' });
    world.sso.revokeRole(SSO_ACCOUNT, SSO_ROLE);
    expect(world.sts.keys.get(first.credentials.accessKeyId)?.state).toBe('revoked');
    await expect(resolveProfileCredentials({ profile: 'sso-dev' })).rejects.toMatchObject({
      code: 'PROFILE_FAILED',
      problem: expect.stringContaining('IAM Identity Center refused its role (ForbiddenException)'),
      fix: expect.stringContaining('aws configure sso --profile sso-dev'),
    });
  });

  it.each([
    [
      '[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n[sso-session corp]\nsso_region = us-east-1\n',
      '[sso-session corp] in CONFIG is missing sso_start_url.',
    ],
    [
      '[profile p]\nsso_start_url = https://x/start\nsso_account_id = 1\nsso_role_name = R\n',
      '[profile p] in CONFIG is missing sso_region.',
    ],
    [
      '[profile p]\nsso_session = corp\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://x/start\n',
      '[profile p] in CONFIG is missing sso_account_id, sso_role_name.',
    ],
  ])('missing keys are named: %#', async (config, expected) => {
    const world = await ssoWorld({}, config);
    await expect(readSsoProfile('p')).rejects.toMatchObject({
      problem: `Profile p: ${expected.replace('CONFIG', world.aws.configFile)}`,
      fix: expect.stringContaining('aws configure sso --profile p'),
    });
  });

  it('a profile that is not SSO is not one', async () => {
    await ssoWorld({}, '[profile plain]\nregion = eu-west-1\n');
    await expect(readSsoProfile('plain')).resolves.toBeUndefined();
  });
});
