/** One `exec` run as its parts share it: the settings, the command, where it reports. */
import type { CliIo } from '../cli/cli-io.js';
import type { SupervisorOptions } from '../config/options.js';
import type { SupervisorLogger } from '../logging/logger.js';

export interface ExecRun {
  options: SupervisorOptions;
  command: readonly string[];
  io: CliIo;
  log: SupervisorLogger;
  /** A line for the person on stderr, secrets scrubbed. */
  say: (text: string) => void;
  /** Set by `--delivery profile` (or AWS_PROFILE): the profile the command reads itself. */
  childProfile?: string | undefined;
}
