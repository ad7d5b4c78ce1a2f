/** The executable `exec` starts: resolved like `watch` does (node_modules/.bin first), else as given. */
import { CommandNotFoundError, UnsupportedCommandError } from '../child/command-errors.js';
import { resolveCommand } from '../child/resolve-command.js';
import type { ExecRun } from './exec-run.js';
import { COMMAND_NOT_FOUND } from './exit-status.js';

/** The file and arguments to start, or the exit code when there is nothing to start. */
export function chooseExecutable(run: ExecRun): { file: string; args: string[] } | number {
  const [name = '', ...args] = run.command;
  try {
    const resolved = resolveCommand({ command: name, args, cwd: run.io.cwd, env: run.io.env });
    for (const warning of resolved.warnings) run.say(`cred-supervisor: ${warning}`);
    return { file: resolved.file, args: resolved.args };
  } catch (error) {
    // `watch` refuses wrappers it cannot see through (`npm run x` with a shell script, `npm publish`)
    // because it must stop the program itself; `exec` runs in the foreground, where Ctrl+C reaches
    // every process of the command anyway, so it runs them as given.
    if (error instanceof UnsupportedCommandError) return { file: name, args };
    if (error instanceof CommandNotFoundError) {
      run.say(`cred-supervisor: ${error.message}`);
      return COMMAND_NOT_FOUND;
    }
    throw error;
  }
}
