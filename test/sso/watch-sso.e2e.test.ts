/**
 * `cred-supervisor watch` with an SSO profile whose session has ended, built CLI, real processes:
 * with the default `--sso-login auto` one login runs for every supervisor sharing the session (the
 * built-in device flow here: the `aws` on PATH is v1), then each starts its child.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import { tempDir } from '../credentials/support/temp-dir.js';
import { ssoWorld, writeLogin } from '../support/sso-world.js';
import { assertBuilt, CLI, waitUntil } from '../support/watch-session.js';

interface LiveWatch {
  stateDir: string;
  readonly stderr: string;
}

async function startWatch(env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<LiveWatch> {
  const dir = await tempDir('cred-supervisor-sso-watch-');
  const stateDir = path.join(dir, '.cred-supervisor');
  await mkdir(stateDir, { mode: 0o700 });
  const child: ChildProcess = spawn(
    process.execPath,
    [
      CLI,
      'watch',
      '--profile',
      'sso-dev',
      ...extraArgs,
      '--',
      process.execPath,
      '-e',
      'setInterval(() => {}, 1000)',
    ],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.resume();
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  return {
    stateDir,
    get stderr() {
      return stderr;
    },
  };
}

async function running(watch: LiveWatch): Promise<boolean> {
  try {
    return (await requestStatus(watch.stateDir)).state === 'running';
  } catch {
    return false;
  }
}

describe('watch with an SSO profile whose session ended', () => {
  beforeAll(() => assertBuilt());

  it('auto: three supervisors sharing the session → one login, all three children start', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 1 });
    await writeLogin(world, -60_000);
    world.sso.endSession();
    const env = { ...world.env, XDG_RUNTIME_DIR: path.join(await tempDir('cred-supervisor-run-'), 'run') };
    const watches = await Promise.all([startWatch(env), startWatch(env), startWatch(env)]);
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
    const watch = await startWatch(env, ['--sso-login', 'never']);
    await waitUntil(
      () => watch.stderr.includes('Log in from any terminal: cred-supervisor login --profile sso-dev'),
      () => `the hint; stderr: ${watch.stderr}`,
      20_000,
      100,
    );
    expect(world.sso.count('RegisterClient')).toBe(0);
  });
});
