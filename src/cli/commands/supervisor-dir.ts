/** How status/reload/stop find the supervisor of this directory, and what they say when they cannot. */
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
  const flag = flags.stateDir === undefined ? {} : { stateDir: flags.stateDir };
  return (await buildOptions(flag, cwd)).stateDir;
}

/**
 * Reports a failed control request on stderr and returns the exit code: 3 when no supervisor runs
 * (as `status` does), 1 when one runs but did not answer or answered with an error. Anything else
 * is not a control failure and is thrown on.
 */
const NO_SUPERVISOR_ADVICE = {
  reload: 'Start one with `cred-supervisor watch` (it reads fresh credentials when it starts).',
  stop: 'Nothing to stop.',
  mfa: 'Nothing is waiting for an MFA code here.',
} as const;

export function reportControlFailure(error: unknown, io: CliIo, command: 'reload' | 'stop' | 'mfa'): number {
  if (error instanceof ControlError && error.code === 'NO_SUPERVISOR') {
    const advice = NO_SUPERVISOR_ADVICE[command];
    io.stderr.write(`cred-supervisor: ${error.message} ${advice}\n`);
    return EXIT_NO_SUPERVISOR;
  }
  if (error instanceof ControlError) {
    io.stderr.write(`cred-supervisor: ${error.message}\n`);
    return ExitCode.error;
  }
  throw error;
}
