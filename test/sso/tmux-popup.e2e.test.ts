/**
 * Two supervisors run detached in a tmux session (no terminal of their own: stdin is /dev/null) with an
 * SSO profile whose session has ended; the person works in another session, attached through a real
 * terminal (util-linux `script`). Real tmux on a private socket, the built CLI, the built-in device
 * login against the local IAM Identity Center. What must happen: one login for both, its URL and code
 * in ONE popup in the person's client (every tmux call is recorded by a `tmux` first on the
 * supervisors' PATH that hands over to the real one), and in the supervisors' panes; approved, the
 * popup closes and both children start.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { until } from '../background/tmux-pane.js';
import { attachedTmux, CAN_ATTACH, startDetachedWatch } from '../support/attached-tmux.js';
import { ssoWorld, writeLogin } from '../support/sso-world.js';
import { assertBuilt, CLI } from '../support/watch-session.js';

describe.skipIf(!CAN_ATTACH)('a detached supervisor under tmux, SSO session ended', () => {
  beforeAll(() => assertBuilt());

  it('opens one popup in the attached client with the URL and code; both supervisors start after one login', async () => {
    const world = await ssoWorld();
    await writeLogin(world, -60_000);
    world.sso.endSession();
    const tmux = await attachedTmux(world.env);
    const { server, root } = tmux;
    const env = { ...tmux.env, XDG_RUNTIME_DIR: path.join(root, 'run') };
    await server.tmux(['set-environment', '-g', 'XDG_RUNTIME_DIR', env.XDG_RUNTIME_DIR]);

    // Two supervisors, detached: panes of another session, stdin not a terminal.
    const projects: string[] = [];
    for (const n of [1, 2]) {
      const dir = path.join(root, `project-${n}`);
      await mkdir(dir);
      await startDetachedWatch(tmux, 'bg', dir, ['--profile', 'sso-dev']);
      projects.push(dir);
    }

    const popups = async () => (await tmux.calls()).filter((line) => line.startsWith('display-popup -c'));
    await until('a popup', async () => ((await popups()).length > 0 ? true : undefined), 30_000);
    const code = await until(
      'the code on the attached client',
      async () => /([0-9A-F]{4}-[0-9A-F]{4})/.exec(tmux.screen())?.[1],
      10_000,
    ).catch(async (error) => {
      throw new Error(
        `${(error as Error).message}; tmux calls:\n${(await tmux.calls()).join('\n')}\ntmux errors:\n${await tmux.refusals()}`,
      );
    });
    expect(tmux.screen()).toContain(`${world.sso.url}`);
    // The supervisors' panes carry it too (capture-pane).
    const panes =
      String((await server.tmux(['capture-pane', '-p', '-J', '-t', 'bg:0'])).stdout) +
      String((await server.tmux(['capture-pane', '-p', '-J', '-t', 'bg:1'])).stdout);
    expect(panes).toMatch(/Another process .*is already logging in|enter the code/);
    expect(panes).toContain(code);

    world.sso.approveDevice();
    for (const dir of projects) {
      await until(
        `supervisor in ${path.basename(dir)} running`,
        async () => {
          const run = await execa(process.execPath, [CLI, 'status', '--json'], {
            cwd: dir,
            env,
            extendEnv: false,
            reject: false,
          });
          return run.exitCode === 0 && JSON.parse(run.stdout).state === 'running' ? true : undefined;
        },
        30_000,
      ).catch(async (error) => {
        const pane = await server.tmux([
          'capture-pane',
          '-p',
          '-J',
          '-S',
          '-100',
          '-t',
          `bg:${projects.indexOf(dir)}`,
        ]);
        throw new Error(`${(error as Error).message}; its pane:\n${String(pane.stdout)}`);
      });
    }
    expect(world.sso.count('StartDeviceAuthorization')).toBe(1);
    expect(await popups()).toHaveLength(1);
    // The login is over: the popup was closed for the person.
    await until('the popup closed', async () =>
      (await tmux.calls()).some((line) => line.startsWith('display-popup -C')) ? true : undefined,
    );
  }, 90_000);
});
