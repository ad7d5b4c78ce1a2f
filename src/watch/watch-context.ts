/** The facts every part of `watch`'s wiring needs, read once by the command body. */
import type { Logger } from 'pino';
import type { CliIo } from '../cli/cli-io.js';
import type { SupervisorOptions } from '../config/options.js';

export interface WatchContext {
  io: CliIo;
  options: SupervisorOptions;
  /** A terminal with keys: someone can answer here, and `fatal` waits for `r`. */
  interactive: boolean;
  /** Detached under tmux: questions and logins are shown in the person's current client. */
  useTmux: boolean;
  logger: Logger;
}
