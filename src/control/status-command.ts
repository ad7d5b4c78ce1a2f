import path from 'node:path';
import { type ControlClientOptions, requestStatus } from './control-client.js';
import { ControlError } from './errors.js';
import { formatStatusHuman, formatStatusTmux, toStatusJson } from './status.js';

export type StatusFormat = 'human' | 'json' | 'tmux' | 'tmux-ascii';

export interface StatusCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Exit code of `status` when no supervisor runs in the directory (the spec's "credentials missing"). */
export const EXIT_NO_SUPERVISOR = 3;

/**
 * What `cred-supervisor status` prints and exits with, without touching the process: the CLI writes
 * `stdout`/`stderr` and exits with `exitCode`.
 * - running: the status in the asked format, exit 0;
 * - nothing running: says so (on stdout for people, stderr for --json, nothing for tmux), exit 3;
 * - no answer or a broken reply: the reason on stderr (a `?` marker for tmux), exit 1.
 */
export async function runStatusCommand(
  stateDir: string,
  format: StatusFormat,
  options: ControlClientOptions & { now?: Date } = {},
): Promise<StatusCommandResult> {
  const now = options.now ?? new Date();
  const tmux = format === 'tmux' || format === 'tmux-ascii';
  try {
    const snapshot = await requestStatus(stateDir, options);
    const stdout =
      format === 'json'
        ? `${JSON.stringify(toStatusJson(snapshot))}\n`
        : format === 'human'
          ? formatStatusHuman(snapshot, now)
          : `${formatStatusTmux(snapshot, now, { ascii: format === 'tmux-ascii' })}\n`;
    return { stdout, stderr: '', exitCode: 0 };
  } catch (error) {
    if (error instanceof ControlError && error.code === 'NO_SUPERVISOR') {
      const message = `No cred-supervisor is running in ${path.resolve(stateDir)}.\n`;
      if (tmux) return { stdout: '', stderr: '', exitCode: EXIT_NO_SUPERVISOR };
      if (format === 'json') return { stdout: '', stderr: message, exitCode: EXIT_NO_SUPERVISOR };
      return { stdout: message, stderr: '', exitCode: EXIT_NO_SUPERVISOR };
    }
    const message = `${error instanceof Error ? error.message : String(error)}\n`;
    return {
      stdout: tmux ? `${format === 'tmux' ? '⚠' : '!!'} status?\n` : '',
      stderr: message,
      exitCode: 1,
    };
  }
}
