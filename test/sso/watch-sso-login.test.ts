/**
 * The SSO watch of a running supervisor, against the local IAM Identity Center and a stand-in
 * supervisor (its events and reload): after a wake from sleep (`clock-jumped`) the SSO session is
 * looked at first, and the burst of events that follows a wake still gives one login at most.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { type WatchedSupervisor, watchSsoLogin } from '../../src/sso/watch-sso-login.js';
import { tempDir } from '../credentials/support/temp-dir.js';
import { ssoWorld, writeLogin } from '../support/sso-world.js';

class FakeSupervisor extends EventEmitter {
  reload = vi.fn();
  said: string[] = [];
  loginActivity: boolean[] = [];
  say(_level: 'warn', text: string) {
    this.said.push(text);
  }
  setSsoLoginInProgress(active: boolean) {
    this.loginActivity.push(active);
  }
}

// EventEmitter's listener types are wider than the supervisor's typed events.
const watched = (supervisor: FakeSupervisor) => supervisor as unknown as WatchedSupervisor;

async function until(condition: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('watchSsoLogin', () => {
  it('a wake from sleep with the session ended: the session is looked at first, one login for the burst', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 2 });
    await writeLogin(world, 3_600_000);
    vi.stubEnv('XDG_RUNTIME_DIR', path.join(await tempDir('cred-supervisor-run-'), 'run'));
    const supervisor = new FakeSupervisor();
    const watch = await watchSsoLogin(watched(supervisor), {
      profile: 'sso-dev',
      mode: 'auto',
      canAsk: false,
      env: process.env,
      intervalMs: 3_600_000,
    });
    await until(() => watch.status() !== null, 'the first look');
    expect(watch.status()).toMatchObject({ session: 'corp', loginInProgress: false });

    // The machine slept past the session's end.
    await writeLogin(world, -60_000);
    world.sso.endSession();
    supervisor.emit('clock-jumped', 8 * 3_600_000);
    // What a wake brings next: the re-verification fails, the child's credentials are found expired.
    supervisor.emit('state', { state: 'waiting-for-credentials', lastError: 'SSO session expired' });
    supervisor.emit('credentials-expired', { kind: 'expired' });
    supervisor.emit('clock-jumped', 1_000);
    await until(() => supervisor.reload.mock.calls.length > 0, 'the reload after the login');
    expect(world.sso.count('StartDeviceAuthorization')).toBe(1);
    expect(supervisor.reload).toHaveBeenCalledTimes(1);
    expect(supervisor.loginActivity).toEqual([true, false]);
    expect(Date.parse(watch.status()?.tokenExpiresAt ?? '')).toBeGreaterThan(Date.now());
    await watch.stop();
  });

  it('a profile that is not an SSO one: nothing to watch, sso is null', async () => {
    await ssoWorld();
    const watch = await watchSsoLogin(watched(new FakeSupervisor()), {
      profile: 'no-such-profile',
      mode: 'auto',
      canAsk: false,
      env: process.env,
    });
    expect(watch.status()).toBeNull();
    expect(watch.loginNow()).toBeUndefined();
    await watch.stop();
  });
});
