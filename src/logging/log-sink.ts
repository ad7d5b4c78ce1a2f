import fs from 'node:fs';
import path from 'node:path';

export interface LogSinkOptions {
  file: string;
  /** Where the one warning about an unwritable log file goes (the terminal). */
  warn: (message: string) => void;
  /** After a failure, how long before a line tries the file again (default 30 s). */
  retryMs?: number;
  /** The clock, in epoch milliseconds (tests). */
  now?: () => number;
}

const DEFAULT_RETRY_MS = 30_000;

/**
 * The log file as pino's stream, built so that logging can never take the supervisor down: an open
 * or write failure (disk full, EACCES, a directory in the way) prints one warning on the terminal,
 * then lines are dropped until the file can be written again: a line tries again every `retryMs`
 * (a full disk is usually freed), and `reopen()` (SIGUSR2, as logrotate sends) tries at once. The
 * first line that gets through is preceded by one saying how many were dropped.
 *
 * Lines are appended synchronously, one `write(2)` each. A supervisor logs a few lines a minute, so
 * the cost is nil, and nothing is buffered: a SIGKILLed supervisor loses no line, and there is no
 * flush at exit that could fail. (pino.destination's asynchronous mode flushes at exit in a loop
 * that never ends when the disk is full, which is exactly when a supervisor must still exit.)
 *
 * Reopen-on-signal rather than rotation by size: logrotate and newsyslog already rotate files, and a
 * supervisor that rotated its own log would fight them.
 */
export class LogSink {
  readonly file: string;
  readonly #warn: (message: string) => void;
  readonly #retryMs: number;
  readonly #now: () => number;
  #fd: number | null;
  #warned = false;
  #failedAt = 0;
  #dropped = 0;

  constructor(options: LogSinkOptions) {
    this.file = options.file;
    this.#warn = options.warn;
    this.#retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
    this.#now = options.now ?? Date.now;
    this.#fd = this.#open();
  }

  /** pino calls this with one serialized line. */
  write(line: string): boolean {
    if (this.#fd === null && this.#now() - this.#failedAt >= this.#retryMs) this.#fd = this.#open();
    if (this.#fd === null) {
      this.#dropped += 1;
      return true;
    }
    if (this.#dropped > 0 && !this.#append(droppedLine(this.#dropped, this.#now()))) {
      this.#dropped += 1;
      return true;
    }
    this.#dropped = 0;
    if (!this.#append(line)) this.#dropped += 1;
    return true;
  }

  /** Close and open the file again by name, e.g. after logrotate moved it away. */
  reopen(): void {
    this.#closeFd();
    this.#warned = false;
    this.#fd = this.#open();
  }

  /** True while lines reach the file. */
  get writable(): boolean {
    return this.#fd !== null;
  }

  close(): void {
    this.#closeFd();
  }

  /** Writes the whole line; false (and logging off for a while) when the file refuses it. */
  #append(line: string): boolean {
    const fd = this.#fd;
    if (fd === null) return false;
    try {
      const bytes = Buffer.from(line, 'utf8');
      let offset = 0;
      while (offset < bytes.length) {
        const written = fs.writeSync(fd, bytes, offset);
        if (written <= 0) throw new Error('the file accepted no bytes');
        offset += written;
      }
      return true;
    } catch (error) {
      this.#fail(error);
      return false;
    }
  }

  #open(): number | null {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      return fs.openSync(this.file, 'a', 0o600);
    } catch (error) {
      this.#fail(error);
      return null;
    }
  }

  #closeFd(): void {
    const fd = this.#fd;
    this.#fd = null;
    if (fd === null) return;
    try {
      fs.closeSync(fd);
    } catch {
      // Closing a descriptor whose file is gone or full has nothing left to report.
    }
  }

  #fail(error: unknown): void {
    this.#closeFd();
    this.#failedAt = this.#now();
    if (this.#warned) return;
    this.#warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.#warn(
      `cred-supervisor: cannot write the log file ${this.file} (${reason}); ` +
        `lines are dropped until it can be written again (tried every ${Math.round(this.#retryMs / 1000)} s, ` +
        'or at once on SIGUSR2). Supervision goes on.\n',
    );
  }
}

/** A pino-shaped line (level 40 = warn) for the lines lost while the file could not be written. */
function droppedLine(count: number, now: number): string {
  const message = `${count} log line${count === 1 ? ' was' : 's were'} dropped while the log file could not be written`;
  return `${JSON.stringify({ level: 40, time: new Date(now).toISOString(), pid: process.pid, event: 'log-lines-dropped', dropped: count, msg: message })}\n`;
}
