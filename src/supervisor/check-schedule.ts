/** --check-schedule: when to probe STS with the child's credentials, as a node-cron expression. */
import { createTask, type Logger, validateDetailed } from 'node-cron';

/** Throws a message naming the option, the value and what is wrong with it. */
export function validateCheckSchedule(expression: string, optionName = '--check-schedule'): void {
  const result = validateDetailed(expression);
  if (result.valid) return;
  const problems = result.errors.map((e) => e.message.replace(/\ba invalid\b/g, 'an invalid')).join('; ');
  throw new Error(
    `Expected \`${optionName}\` to be a cron expression of 5 fields (minute hour day month weekday), or 6 ` +
      `with leading seconds, e.g. \`* * * * *\` or \`*/30 * * * * *\`; got \`${expression}\`: ${problems}.`,
  );
}

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
  validateCheckSchedule(expression);
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
