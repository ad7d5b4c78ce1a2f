/** The processes of `watch --procfile` (or config `processes`), and what an edit of the Procfile means. */
import type { CliIo } from '../cli/cli-io.js';
import { UsageError } from '../cli/errors.js';
import type { SupervisorOptions } from '../config/options.js';
import type { ProcessSpec } from '../procfile/process-spec.js';
import { readProcfile, watchProcfile } from '../procfile/read-procfile.js';

/**
 * The processes of a `--procfile` (or config `processes` when no command is given), validated before
 * anything starts; undefined for the one-command case.
 */
export function processesFor(
  procfile: string | undefined,
  commandArgs: readonly string[],
  options: SupervisorOptions,
  io: CliIo,
): ProcessSpec[] | undefined {
  if (procfile !== undefined) {
    if (commandArgs.length > 0) {
      throw new UsageError(
        `Give either --procfile ${procfile} or a command after --, not both. Put the command in the Procfile as its own \`name: command\` line.`,
      );
    }
    const parsed = readProcfile(procfile, io.cwd);
    if (!parsed.ok) throw new UsageError(`The Procfile cannot be used:\n  ${parsed.problems.join('\n  ')}`);
    return parsed.processes;
  }
  return commandArgs.length > 0 ? undefined : options.processes;
}

/** An edited Procfile is said, not applied: the running processes stay as they were started. */
export function reportProcfileEdits(
  procfile: string,
  cwd: string,
  say: (level: 'warn', text: string) => void,
): () => unknown {
  return watchProcfile(procfile, cwd, () =>
    say(
      'warn',
      `${procfile} changed; the running processes are unchanged. Stop and start the supervisor to apply it.`,
    ),
  );
}
