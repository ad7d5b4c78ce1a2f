/**
 * Starts the command of `cred-supervisor exec` the way a shell would run it in the foreground: in
 * OUR process group, with our terminal as its stdin, stdout and stderr.
 *
 * Why not in its own group, as `watch` does: a process outside the terminal's foreground group that
 * reads the terminal is stopped with SIGTTIN, and Node cannot hand the foreground to another group
 * (no tcsetpgrp). `exec` runs one-shot commands that ask questions (`cdk deploy` asks to approve
 * security changes, and requires a TTY on stdin for it), show progress on a TTY and are interrupted
 * with Ctrl+C, so it stays in the foreground and inherits the terminal untouched: colours, prompts,
 * window size, Ctrl+Z all behave as without cred-supervisor. The costs, accepted for a one-shot
 * command: the terminal's own signals reach the command directly (`signal-forwarding.ts` avoids
 * doubling them), and there is no group of its own to stop or to watch over, so a SIGKILLed
 * cred-supervisor leaves the command running (like `sudo` or `aws-vault exec`).
 *
 * `node:child_process` directly rather than execa: there is no output to handle, and nothing of
 * execa's (cleanup on exit, force-kill timers) is wanted between the terminal and the command.
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { type ChildExit, ChildSpawnError, spawnFailureMessage } from '../child/spawn-child.js';

export interface ForegroundChildOptions {
  /** An executable path (as `resolveCommand()` gives it) or a bare name looked up in `env.PATH`. */
  file: string;
  args: readonly string[];
  cwd: string;
  /** The command's COMPLETE environment. */
  env: Readonly<Record<string, string>>;
  /** Default `inherit`: the terminal itself. Tests pass pipes. */
  stdio?: StdioOptions;
}

export interface ForegroundChild {
  readonly pid: number;
  /** Resolves when the command exits; never rejects. */
  readonly exited: Promise<ChildExit>;
  /** The Node handle, for tests that pipe the command's output. */
  readonly process: ChildProcess;
}

/** Resolves once the command runs; rejects with `ChildSpawnError` when it cannot start. */
export function spawnForegroundChild(options: ForegroundChildOptions): Promise<ForegroundChild> {
  const child = spawn(options.file, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: options.stdio ?? 'inherit',
    // Explicitly: the foreground group is the point (see above).
    detached: false,
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ChildSpawnError(options.file, error.code, spawnFailureMessage(options.file, options.cwd, error)),
      );
    });
    child.once('spawn', () => resolve({ pid: child.pid!, exited, process: child }));
  });
}
