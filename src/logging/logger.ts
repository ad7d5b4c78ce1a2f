import type { Logger } from 'pino';
import { pino } from 'pino';
import type { LogLevel } from '../config/options.js';
import { LogSink } from './log-sink.js';
import { PINO_REDACT_PATHS, REDACTED, type Redactor, redactor as sharedRedactor } from './redact.js';

export interface LoggerOptions {
  /** The JSON-lines log file (created with mode 600, its folder with 700). */
  file: string;
  level: LogLevel;
  /** Receives the single warning printed when the log file cannot be written. Default: stderr. */
  warn?: (message: string) => void;
  /** Defaults to the process-wide redactor that credential code registers secrets with. */
  redactor?: Redactor;
  /** Fields added to every line. */
  base?: Record<string, unknown>;
}

export interface SupervisorLogger {
  readonly logger: Logger;
  readonly file: string;
  /** Reopen the file by name (after logrotate); also re-enables logging after a write failure. */
  reopen(): void;
  close(): void;
}

/**
 * A pino logger writing JSON lines to the log file. Every line passes through the redactor after
 * serialization (`hooks.streamWrite`), so secrets are removed whatever path they took into the line:
 * the message, a nested object, an error's message or stack, a child logger's bindings. pino's
 * `redact` paths are kept as the first, cheap layer for the common keys.
 */
export function createLogger(options: LoggerOptions): SupervisorLogger {
  const redactor = options.redactor ?? sharedRedactor;
  const sink = new LogSink({
    file: options.file,
    warn: options.warn ?? ((message) => process.stderr.write(message)),
  });
  const logger = pino(
    {
      level: options.level,
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...PINO_REDACT_PATHS], censor: REDACTED },
      hooks: { streamWrite: (line) => redactor.scrubJsonLine(line) },
    },
    sink,
  );
  return {
    logger,
    file: options.file,
    reopen: () => sink.reopen(),
    close: () => sink.close(),
  };
}

/**
 * Reopen the log file when `signal` arrives (SIGUSR2 by default: SIGUSR1 is `reload`).
 * Returns a function that removes the handler.
 */
export function reopenLogOnSignal(log: SupervisorLogger, signal: NodeJS.Signals = 'SIGUSR2'): () => void {
  const handler = () => log.reopen();
  process.on(signal, handler);
  return () => process.removeListener(signal, handler);
}
