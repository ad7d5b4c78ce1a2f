/** --check-schedule: when to probe STS with the child's credentials, as a node-cron expression. */
import { createTask, type Logger } from 'node-cron';
import { checkFlagValue } from '../config/option-rules.js';

export interface CheckScheduleOptions {
  /** Where node-cron's own messages go (a tick that threw, for instance). Default: dropped. */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Calls `onTick` on every match of `expression` until the returned function is called. */
export function startCheckSchedule(
  expression: string,
  onTick: () => void,
  options: CheckScheduleOptions = {},
): () => void {
  // The one cron rule, the one `--check-schedule` and the config file's `checkSchedule` are parsed with.
  checkFlagValue('checkSchedule', expression);
  const log = options.log ?? (() => {});
  const text = (message: string | Error) => (message instanceof Error ? message.message : message);
  const logger: Logger = {
    debug: (message) => log('debug', text(message)),
    info: (message) => log('info', text(message)),
    warn: (message) => log('warn', text(message)),
    error: (message) => log('error', text(message)),
  };
  const task = createTask(expression, () => onTick(), {
    logger,
    // A laptop that slept skips ticks; the next one is enough, and node-cron would warn on the console.
    suppressMissedWarning: true,
  });
  task.start();
  return () => {
    void task.destroy();
  };
}
