/**
 * The built `cred-supervisor watch` in a temp project with the environment a test gives it, its child a
 * Node process that idles: for tests about what the supervisor does around its child (SSO, MFA), not
 * the child itself. Killed when the test ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import { tempDir } from '../credentials/support/temp-dir.js';
import { CLI } from './watch-session.js';

export interface LiveWatch {
  dir: string;
  stateDir: string;
  readonly stderr: string;
}

export async function startWatch(env: NodeJS.ProcessEnv, args: string[]): Promise<LiveWatch> {
  const dir = await tempDir('cred-supervisor-live-watch-');
  const stateDir = path.join(dir, '.cred-supervisor');
  await mkdir(stateDir, { mode: 0o700 });
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'watch', ...args, '--', process.execPath, '-e', 'setInterval(() => {}, 1000)'],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.resume();
  stopWhenTestEnds(child);
  return {
    dir,
    stateDir,
    get stderr() {
      return stderr;
    },
  };
}

/** SIGTERM to a supervisor still running when the test ends, and wait for it to go. */
export function stopWhenTestEnds(child: ChildProcess): void {
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
}

export async function running(watch: LiveWatch): Promise<boolean> {
  try {
    return (await requestStatus(watch.stateDir)).state === 'running';
  } catch {
    return false;
  }
}
