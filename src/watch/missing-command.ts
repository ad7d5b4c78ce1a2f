/** A command that does not exist is said before anyone is asked for credentials (or an MFA code). */
import { CommandNotFoundError } from '../child/command-errors.js';
import { resolveCommand } from '../child/resolve-command.js';
import type { CliIo } from '../cli/cli-io.js';
import { COMMAND_NOT_FOUND } from '../exec/exit-status.js';

/** Exit 127 with the message when the command cannot be found; undefined when it can. */
export function missingCommand(command: readonly string[], io: CliIo): number | undefined {
  const [name = '', ...args] = command;
  try {
    resolveCommand({ command: name, args, cwd: io.cwd, env: io.env });
    return undefined;
  } catch (error) {
    // Anything else (a wrapper it cannot see through) is reported where the command is started.
    if (!(error instanceof CommandNotFoundError)) return undefined;
    io.stderr.write(`[cred-supervisor] ${error.message}\n`);
    return COMMAND_NOT_FOUND;
  }
}
