import { Command, InvalidArgumentError, Option } from 'commander';
import { formatDuration, parseDuration } from '../../config/duration.js';
import type { CliIo } from '../cli-io.js';
import { stateDirOption } from '../control-options.js';
import type { StopFlags } from './run-stop.js';

/** Long enough for the child's SIGINT → SIGTERM → SIGKILL at the default 5 s grace, with room to spare. */
const DEFAULT_STOP_TIMEOUT_MS = 60_000;

const EXAMPLES = `
The child's whole process group is stopped (SIGINT, then SIGTERM, then SIGKILL after --stop-grace).
Returns once the supervisor process has exited, so scripts can rely on it.
Exit codes: 0 stopped, 1 no answer or still running after --timeout, 3 no supervisor running here.

Examples:
  $ cred-supervisor stop
  $ cred-supervisor stop --state-dir ../api/.cred-supervisor
  $ cred-supervisor stop --timeout 2m`;

function parseTimeout(value: string): number {
  try {
    return parseDuration(value, '--timeout');
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export function stopCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('stop')
    .description('stop the running supervisor and its child, and wait until it has exited')
    .addOption(stateDirOption())
    .addOption(
      new Option('--timeout <duration>', 'how long to wait for it to exit')
        .argParser(parseTimeout)
        .default(DEFAULT_STOP_TIMEOUT_MS, formatDuration(DEFAULT_STOP_TIMEOUT_MS)),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (flags: StopFlags) => {
      const { runStop } = await import('./run-stop.js');
      finish(await runStop(flags, io));
    });
}
