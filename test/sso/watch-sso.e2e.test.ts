/**
 * `cred-supervisor watch` with an SSO profile whose session has ended, built CLI, real processes:
 * with the default `--sso-login auto` one login runs for every supervisor sharing the session (the
 * built-in device flow here: the `aws` on PATH is v1), then each starts its child.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../credentials/support/temp-dir.js';
import { running, startWatch } from '../support/live-watch.js';
import { ssoWorld, writeLogin } from '../support/sso-world.js';
import { assertBuilt, waitUntil } from '../support/watch-session.js';

describe('watch with an SSO profile whose session ended', () => {
  beforeAll(() => assertBuilt());

  it('auto: three supervisors sharing the session → one login, all three children start', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 1 });
    await writeLogin(world, -60_000);
    world.sso.endSession();
    const env = { ...world.env, XDG_RUNTIME_DIR: path.join(await tempDir('cred-supervisor-run-'), 'run') };
    const watches = await Promise.all([1, 2, 3].map(() => startWatch(env, ['--profile', 'sso-dev'])));
    for (const watch of watches) {
      await waitUntil(
        () => running(watch),
        () => `running; stderr: ${watch.stderr}`,
        30_000,
        200,
      );
    }
    expect(world.sso.count('StartDeviceAuthorization')).toBe(1);
    const all = watches.map((w) => w.stderr).join('\n');
    expect(all).toMatch(/enter the code [0-9A-F]{4}-[0-9A-F]{4}/);
  });

  it('never: says what to run and launches nothing', async () => {
    const world = await ssoWorld();
    await writeLogin(world, -60_000);
    world.sso.endSession();
    const env = { ...world.env, XDG_RUNTIME_DIR: path.join(await tempDir('cred-supervisor-run-'), 'run') };
    const watch = await startWatch(env, ['--profile', 'sso-dev', '--sso-login', 'never']);
    await waitUntil(
      () => watch.stderr.includes('Log in: npx cred-supervisor login --profile sso-dev in any terminal'),
      () => `the hint; stderr: ${watch.stderr}`,
      20_000,
      100,
    );
    expect(world.sso.count('RegisterClient')).toBe(0);
  });
});
