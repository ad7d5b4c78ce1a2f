import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fromIni, fromSSO } from '@aws-sdk/credential-providers';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { type PendingAuthorization, runDeviceLogin } from '../../src/sso/device-authorization.js';
import { readSsoProfile } from '../../src/sso/sso-profile.js';
import { MACHINE_PATH, SSO_ACCOUNT, START_URL, ssoWorld } from '../support/sso-world.js';

async function profile(name = 'sso-dev') {
  const found = await readSsoProfile(name);
  if (!found) throw new Error(`${name} is not an SSO profile`);
  return found;
}

describe('the built-in device authorization flow', () => {
  it('registers, starts, polls pending → approved, and writes the cache the real SDK then uses', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 2 });
    const shown: PendingAuthorization[] = [];
    const file = await runDeviceLogin(await profile(), { onPending: (p) => shown.push(p) });

    expect(world.sso.requests.map((r) => `${r.action}${r.errorCode ? `:${r.errorCode}` : ''}`)).toEqual([
      'RegisterClient',
      'StartDeviceAuthorization',
      'CreateToken:AuthorizationPendingException',
      'CreateToken:AuthorizationPendingException',
      'CreateToken',
    ]);
    expect(shown).toHaveLength(1);
    expect(shown[0]?.userCode).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(shown[0]?.verificationUriComplete).toContain(shown[0]?.userCode);

    expect(path.basename(file)).toBe(`${createHash('sha1').update('corp').digest('hex')}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const cached = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(cached)).toEqual([
      'startUrl',
      'region',
      'accessToken',
      'expiresAt',
      'clientId',
      'clientSecret',
      'registrationExpiresAt',
      'refreshToken',
    ]);
    expect(cached).toMatchObject({ startUrl: START_URL, region: 'us-east-1' });
    expect(cached.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // The SDK's own providers, unchanged, now get role credentials through the fake portal.
    const viaSso = await fromSSO({ profile: 'sso-dev', ignoreCache: true })();
    const viaIni = await fromIni({ profile: 'sso-dev', ignoreCache: true })();
    for (const credentials of [viaSso, viaIni]) {
      expect(world.sts.keys.get(credentials.accessKeyId)).toMatchObject({
        account: SSO_ACCOUNT,
        state: 'valid',
      });
    }
    expect(world.sso.count('GetRoleCredentials')).toBe(2);
  });

  it('writes a cache the AWS CLI (botocore) uses as well', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 0 });
    await runDeviceLogin(await profile(), { onPending: () => {} });
    const cli = await execa(
      'aws',
      ['sts', 'get-caller-identity', '--profile', 'sso-dev', '--output', 'json'],
      {
        env: { ...world.env, PATH: MACHINE_PATH },
        extendEnv: false,
        reject: false,
      },
    );
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout)).toMatchObject({ Account: SSO_ACCOUNT });
    expect(world.sso.count('GetRoleCredentials')).toBe(1);
  });

  it('for a legacy profile, names the cache after the start URL', async () => {
    await ssoWorld({ autoApproveAfterPolls: 0 });
    const file = await runDeviceLogin(await profile('legacy-dev'), { onPending: () => {} });
    expect(path.basename(file)).toBe(`${createHash('sha1').update(START_URL).digest('hex')}.json`);
    await expect(fromIni({ profile: 'legacy-dev', ignoreCache: true })()).resolves.toMatchObject({
      accessKeyId: expect.stringMatching(/^ASIA/),
    });
  });

  it('a login denied in the browser ends with the problem and the fix, no token shown', async () => {
    const world = await ssoWorld();
    const login = runDeviceLogin(await profile(), { onPending: () => world.sso.denyDevice() });
    await expect(login).rejects.toMatchObject({
      code: 'SSO_EXPIRED',
      problem: 'SSO login for profile sso-dev: the login was denied or cancelled in the browser.',
      fix: 'Run `cred-supervisor login` to start a new one.',
    });
  });

  it('a code nobody approves ends when it expires, not in an endless poll', async () => {
    await ssoWorld({ deviceCodeTtlSeconds: 1, pollIntervalSeconds: 1 });
    await expect(runDeviceLogin(await profile(), { onPending: () => {} })).rejects.toMatchObject({
      problem: expect.stringContaining('the code was not approved in time'),
    });
  });

  it('a login cancelled by its caller stops polling at once', async () => {
    await ssoWorld({ pollIntervalSeconds: 60 });
    const abort = new AbortController();
    const login = runDeviceLogin(await profile(), { onPending: () => abort.abort(), signal: abort.signal });
    await expect(login).rejects.toMatchObject({
      problem: expect.stringContaining('cancelled before it was approved'),
    });
  });

  it('IAM Identity Center unreachable is a network problem, not an expired session', async () => {
    const world = await ssoWorld();
    await world.sso.close();
    await expect(runDeviceLogin(await profile(), { onPending: () => {} })).rejects.toMatchObject({
      code: 'NETWORK',
    });
  });
});
