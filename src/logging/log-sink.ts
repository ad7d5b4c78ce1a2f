import fs from 'node:fs';
import path from 'node:path';

export interface LogSinkOptions {
  file: string;
  /** Where the one warning about an unwritable log file goes (the terminal). */
  warn: (message: string) => void;
}

/**
 * The log file as pino's stream, built so that logging can never take the supervisor down: an open
 * or write failure (disk full, EACCES, a directory in the way) prints one warning on the terminal,
 * then lines are dropped until `reopen()` (SIGUSR2, as logrotate sends) gets a working file.
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
  #fd: number | null;
  #warned = false;

  constructor(options: LogSinkOptions) {
    this.file = options.file;
    this.#warn = options.warn;
    this.#fd = this.#open();
  }

  /** pino calls this with one serialized line. */
  write(line: string): boolean {
    const fd = this.#fd;
    if (fd === null) return true;
    try {
      const bytes = Buffer.from(line, 'utf8');
      let offset = 0;
      while (offset < bytes.length) {
        const written = fs.writeSync(fd, bytes, offset);
        if (written <= 0) throw new Error('the file accepted no bytes');
        offset += written;
      }
    } catch (error) {
      this.#fail(error);
    }
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
    if (this.#warned) return;
    this.#warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.#warn(
      `cred-supervisor: cannot write the log file ${this.file} (${reason}); ` +
        'logging to it is off until the log is reopened (SIGUSR2). Supervision goes on.\n',
    );
  }
}
