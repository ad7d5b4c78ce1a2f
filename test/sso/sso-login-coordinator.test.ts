import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createSsoLoginCoordinator } from '../../src/sso/sso-login-coordinator.js';
import { readSsoProfile } from '../../src/sso/sso-profile.js';
import { tempDir } from '../credentials/support/temp-dir.js';
import { type SsoWorld, ssoWorld, writeLogin } from '../support/sso-world.js';

/** Logged in once, then the SSO session ended: the token expired and the refresh token is refused. */
async function sessionEnded(world: SsoWorld) {
  await writeLogin(world, -60_000);
  world.sso.endSession();
  vi.stubEnv('XDG_RUNTIME_DIR', path.join(await tempDir('cred-supervisor-run-'), 'run'));
}

async function coordinator(mode: 'auto' | 'prompt' | 'never', said: string[] = []) {
  const profile = await readSsoProfile('sso-dev');
  if (!profile) throw new Error('not SSO');
  const target = { reload: vi.fn() };
  const notified: string[] = [];
  const c = createSsoLoginCoordinator(target, {
    profile,
    mode,
    canAsk: false,
    env: process.env,
    say: (text) => said.push(text),
    notify: (text) => notified.push(text),
  });
  return { c, target, said, notified };
}

describe('the SSO login coordinator of a running supervisor', () => {
  it('auto: the session ended → one login (built-in: the AWS CLI on PATH is v1) → the supervisor reloads', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 1 });
    await sessionEnded(world);
    const { c, target, said } = await coordinator('auto');
    expect(await c.check()).toBe('launched');
    expect(await c.check()).toBe('in-progress');
    await c.pending;
    expect(target.reload).toHaveBeenCalledTimes(1);
    expect(target.reload).toHaveBeenCalledWith('sso-login');
    expect(world.sso.count('StartDeviceAuthorization')).toBe(1);
    expect(said.join('\n')).toMatch(/enter the code [0-9A-F]{4}-[0-9A-F]{4}/);
    expect(await c.check()).toBe('fine');
  });

  it('three supervisors sharing the session: exactly one login, all three reload', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 2 });
    await sessionEnded(world);
    const three = await Promise.all([coordinator('auto'), coordinator('auto'), coordinator('auto')]);
    expect(await Promise.all(three.map(({ c }) => c.check()))).toEqual(['launched', 'launched', 'launched']);
    await Promise.all(three.map(({ c }) => c.pending));
    expect(world.sso.count('StartDeviceAuthorization')).toBe(1);
    for (const { target } of three) expect(target.reload).toHaveBeenCalledTimes(1);
  });

  it('never: tells once what to run, launches nothing', async () => {
    const world = await ssoWorld();
    await sessionEnded(world);
    const { c, said, notified } = await coordinator('never');
    expect(await c.check()).toBe('told');
    expect(await c.check()).toBe('told');
    expect(said).toEqual([
      'The SSO session of profile sso-dev has ended. Log in: npx cred-supervisor login --profile sso-dev in any terminal.',
    ]);
    expect(notified).toEqual(said);
    expect(world.sso.count('RegisterClient')).toBe(0);
  });

  it('prompt with a terminal: asks once (l or cred-supervisor login), launches only on the yes', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 1 });
    await sessionEnded(world);
    const profile = await readSsoProfile('sso-dev');
    if (!profile) throw new Error('not SSO');
    const said: string[] = [];
    const target = { reload: vi.fn() };
    const c = createSsoLoginCoordinator(target, {
      profile,
      mode: 'prompt',
      canAsk: true,
      env: process.env,
      say: (text) => said.push(text),
    });
    expect(await c.check()).toBe('asked');
    expect(await c.check()).toBe('asked');
    expect(said).toEqual([
      'The SSO session of profile sso-dev has ended. Press l to log in now, or run npx cred-supervisor login --profile sso-dev in any terminal.',
    ]);
    expect(world.sso.count('RegisterClient')).toBe(0);
    expect(c.status()).toMatchObject({
      session: 'corp',
      refreshToken: 'session-ended',
      loginInProgress: false,
    });
    expect(c.loginNow()).toBe('launched');
    expect(c.loginNow()).toBe('in-progress');
    expect(c.status()?.loginInProgress).toBe(true);
    await c.pending;
    expect(target.reload).toHaveBeenCalledTimes(1);
    expect(world.sso.count('StartDeviceAuthorization')).toBe(1);
    expect(c.status()).toMatchObject({ session: 'corp', loginInProgress: false });
    expect(Date.parse(c.status()?.tokenExpiresAt ?? '')).toBeGreaterThan(Date.now());
  });

  it('shows the URL and code once per login (present), and closes it when the login is over', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 2 });
    await sessionEnded(world);
    const profile = await readSsoProfile('sso-dev');
    if (!profile) throw new Error('not SSO');
    const shown: string[] = [];
    const closed = vi.fn();
    const c = createSsoLoginCoordinator(
      { reload: vi.fn() },
      {
        profile,
        mode: 'auto',
        canAsk: false,
        env: process.env,
        say: () => {},
        present: (text) => {
          shown.push(text);
          return closed;
        },
      },
    );
    expect(await c.check()).toBe('launched');
    await c.pending;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/open http:\/\/127\.0\.0\.1:\d+\S* and enter the code [0-9A-F]{4}-[0-9A-F]{4}/);
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('prompt with nobody to ask tells, too; a live session is left alone', async () => {
    const world = await ssoWorld();
    await sessionEnded(world);
    expect(await (await coordinator('prompt')).c.check()).toBe('told');
    await writeLogin(world, 3_600_000);
    expect(await (await coordinator('auto')).c.check()).toBe('fine');
    expect(world.sso.count('RegisterClient')).toBe(0);
  });
});
