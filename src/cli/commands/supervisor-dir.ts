/** How status/reload/stop find the supervisor of this directory, and what they say when they cannot. */
import path from 'node:path';
import { mayHaveProjectConfig } from '../../config/config-file-names.js';
import { DEFAULT_STATE_DIR } from '../../config/options.js';
import { ControlError } from '../../control/errors.js';
import { EXIT_NO_SUPERVISOR } from '../../control/status-command.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { buildOptions } from '../shared-options.js';

/**
 * The state dir the supervisor of `cwd` uses: `--state-dir`, else the config file's `stateDir`, else
 * the default; found exactly as `watch` finds it, so both sides meet at the same control socket.
 */
export async function supervisorStateDir(flags: { stateDir?: string }, cwd: string): Promise<string> {
  // The two cases that need no config file are answered without loading the config parser: a flag
  // wins over any config (resolved against cwd, as buildOptions does), and no config means the default.
  if (flags.stateDir !== undefined) return path.resolve(cwd, flags.stateDir);
  if (!mayHaveProjectConfig(cwd)) return path.resolve(cwd, DEFAULT_STATE_DIR);
  return (await buildOptions({}, cwd)).stateDir;
}

/**
 * Reports a failed control request on stderr and returns the exit code: 3 when no supervisor runs
 * (as `status` does), 1 when one runs but did not answer or answered with an error. Anything else
 * is not a control failure and is thrown on.
 */
export function reportControlFailure(error: unknown, io: CliIo, command: 'reload' | 'stop'): number {
  if (error instanceof ControlError && error.code === 'NO_SUPERVISOR') {
    const advice =
      command === 'reload'
        ? 'Start one with `cred-supervisor watch` (it reads fresh credentials when it starts).'
        : 'Nothing to stop.';
    io.stderr.write(`cred-supervisor: ${error.message} ${advice}\n`);
    return EXIT_NO_SUPERVISOR;
  }
  if (error instanceof ControlError) {
    io.stderr.write(`cred-supervisor: ${error.message}\n`);
    return ExitCode.error;
  }
  throw error;
}
