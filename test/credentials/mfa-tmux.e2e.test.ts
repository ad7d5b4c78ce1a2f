/**
 * A detached supervisor (a tmux pane, stdin not a terminal) whose profile assumes a role with MFA asks
 * for the code with `command-prompt` in the person's attached client (real tmux, a real terminal through
 * util-linux `script`); the code typed there reaches the supervisor like `cred-supervisor mfa`, the
 * role is assumed and the child starts. The code never shows in the supervisor's pane.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { until } from '../background/tmux-pane.js';
import { attachedTmux, CAN_ATTACH, startDetachedWatch } from '../support/attached-tmux.js';
import { assertBuilt, CLI } from '../support/watch-session.js';
import { mfaDeployProfile } from './support/mfa-profile.js';

describe.skipIf(!CAN_ATTACH)('watch under tmux, detached: the MFA code asked in the attached client', () => {
  beforeAll(() => assertBuilt());

  it('command-prompt in the current client; the typed code completes the assume-role', async () => {
    const { sts, env: awsEnv } = await mfaDeployProfile();
    const tmux = await attachedTmux(awsEnv);
    const dir = path.join(tmux.root, 'project');
    await mkdir(dir);
    await startDetachedWatch(tmux, 'bg', dir, ['--profile', 'deploy']);

    await until(
      'the command-prompt',
      async () =>
        (await tmux.calls()).some((line) => line.startsWith('command-prompt -t')) ? true : undefined,
      30_000,
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}; tmux errors: ${await tmux.refusals()}`);
    });
    await until('the question on the client', async () =>
      tmux.screen().includes('MFA code for') ? true : undefined,
    );
    tmux.type('246810\r');
    await until(
      'the supervisor running',
      async () => {
        const status = await execa(process.execPath, [CLI, 'status', '--json'], {
          cwd: dir,
          env: tmux.env,
          extendEnv: false,
          reject: false,
        });
        return status.exitCode === 0 && JSON.parse(status.stdout).state === 'running' ? true : undefined;
      },
      30_000,
    ).catch(async (error) => {
      const pane = await tmux.server.tmux(['capture-pane', '-p', '-J', '-t', 'bg']);
      throw new Error(
        `${(error as Error).message}; pane:\n${String(pane.stdout)}\ntmux errors: ${await tmux.refusals()}`,
      );
    });
    expect(sts.requests.some((r) => r.action === 'AssumeRole' && r.status === 200)).toBe(true);
    const pane = String(
      (await tmux.server.tmux(['capture-pane', '-p', '-J', '-S', '-100', '-t', 'bg'])).stdout,
    );
    expect(pane).not.toContain('246810');
  }, 90_000);
});
