export type MuxStreamName = 'stdout' | 'stderr';

/** What the mux writes to: a Node `Writable` fits. */
export interface MuxTarget {
  write(chunk: Uint8Array | string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  /**
   * With these three (a Node `Writable` has them), the child's chunks that arrive in one turn of the
   * event loop go out in one system call (see `BATCH_BYTES`); without them, each chunk in its own.
   */
  cork?(): void;
  uncork?(): void;
  readonly writableLength?: number;
}

export interface ConsoleMuxOptions {
  stdout: MuxTarget;
  stderr: MuxTarget;
  /** Where `say()` writes. Default `stderr`, leaving stdout to the child's own stdout. */
  sayTo?: MuxStreamName;
  /** How long a message may wait for the child to finish its line. Default 200 ms. */
  holdMs?: number;
  /**
   * The child streams that reach the same screen as `sayTo` (default both). A stream piped elsewhere
   * (`cdk watch > out.log`) is never touched: ending its unfinished line would change its bytes.
   */
  sharedScreen?: readonly MuxStreamName[];
  /** Injected for tests. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface ConsoleMux {
  /** Writes a chunk of the child's output, unchanged. Returns false when the target wants a `drain`. */
  child(stream: MuxStreamName, chunk: Uint8Array): boolean;
  /** A sink for `spawnChild({ stdout: mux.sink('stdout'), ... })`. */
  sink(stream: MuxStreamName): {
    write(chunk: Uint8Array): boolean;
    once(event: 'drain', l: () => void): unknown;
  };
  /** Prints one of the supervisor's own lines (a newline is added if missing), never inside a child's line. */
  say(text: string): void;
  /** Writes held messages now, ending the child's unfinished lines first. For exit and child exit. */
  flush(): void;
}

const NEWLINE = 0x0a;

/**
 * The most of one child stream's output a batch holds before the source is asked to wait for `drain`
 * (the memory bound while batching). A busy child fills its pipe faster than one read takes it, so a
 * turn of the event loop reads several 64 KiB chunks; writing them as one batch (a `writev`) instead
 * of one write each made a Node relay about a tenth faster (834 vs 747 MB/s, 4 runs each).
 */
const BATCH_BYTES = 256 * 1024;

/**
 * Shares one terminal between the child and the supervisor. The child's bytes pass through unchanged;
 * the supervisor's lines go in only where a line starts. A message said while the child is in the
 * middle of a line (on either stream: both usually reach the same terminal) waits until that line
 * ends, or, after `holdMs`, is printed after a newline so nothing is lost or spliced.
 */
export function createConsoleMux(options: ConsoleMuxOptions): ConsoleMux {
  const targets: Record<MuxStreamName, MuxTarget> = { stdout: options.stdout, stderr: options.stderr };
  const sayTo = options.sayTo ?? 'stderr';
  const holdMs = options.holdMs ?? 200;
  const setTimer =
    options.setTimer ??
    ((callback: () => void, ms: number) => {
      const timer = setTimeout(callback, ms);
      timer.unref(); // A held message must never keep the process alive on its own.
      return timer;
    });
  const clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as NodeJS.Timeout));

  const midLine: Record<MuxStreamName, boolean> = { stdout: false, stderr: false };
  const held: string[] = [];
  let timer: unknown;
  // The stream whose target holds a batch (corked) until the end of this turn of the event loop.
  let batching: MuxStreamName | undefined;

  /** Writes the batch out: before anything else is written, so nothing overtakes the child's bytes. */
  function release(): void {
    if (batching === undefined) return;
    const target = targets[batching];
    batching = undefined;
    target.uncork?.();
  }

  function batch(stream: MuxStreamName, target: MuxTarget): void {
    if (batching === stream || !target.cork || !target.uncork || target.writableLength === undefined) return;
    // One stream at a time, so the two streams' chunks reach the screen in the order they were read.
    release();
    target.cork();
    batching = stream;
    setImmediate(release);
  }

  const shared = new Set<MuxStreamName>(options.sharedScreen ?? ['stdout', 'stderr']);
  shared.add(sayTo);
  const anyMidLine = () =>
    (shared.has('stdout') && midLine.stdout) || (shared.has('stderr') && midLine.stderr);

  function writeHeld(): void {
    release();
    if (timer !== undefined) {
      clearTimer(timer);
      timer = undefined;
    }
    if (held.length === 0) return;
    targets[sayTo].write(held.join(''));
    held.length = 0;
  }

  function flush(): void {
    release();
    for (const name of shared) {
      if (midLine[name]) {
        // The child's line is unfinished; end it visually so our message starts on its own line.
        targets[name].write('\n');
        midLine[name] = false;
      }
    }
    writeHeld();
  }

  function writeChild(stream: MuxStreamName, chunk: Uint8Array): boolean {
    if (chunk.length === 0) return true;
    const target = targets[stream];
    batch(stream, target);
    const ok = target.write(chunk);
    midLine[stream] = chunk[chunk.length - 1] !== NEWLINE;
    // A corked target says "wait" as soon as the batch passes its high-water mark; the batch may grow
    // to BATCH_BYTES first. Past that, `drain` comes once the batch and anything queued are written.
    return ok || (batching === stream && (target.writableLength ?? BATCH_BYTES) < BATCH_BYTES);
  }

  function child(stream: MuxStreamName, chunk: Uint8Array): boolean {
    if (held.length === 0) return writeChild(stream, chunk);
    // Messages are waiting: let them in right after the first newline of this chunk, if that leaves
    // no stream mid-line. The child's bytes are unchanged and in order; only split around the message.
    const newline = chunk.indexOf(NEWLINE);
    if (newline < 0) return writeChild(stream, chunk);
    let ok = writeChild(stream, chunk.subarray(0, newline + 1));
    if (!anyMidLine()) writeHeld();
    ok = writeChild(stream, chunk.subarray(newline + 1)) && ok;
    return ok;
  }

  function say(text: string): void {
    held.push(text.endsWith('\n') ? text : `${text}\n`);
    if (!anyMidLine()) {
      writeHeld();
      return;
    }
    timer ??= setTimer(() => {
      timer = undefined;
      flush();
    }, holdMs);
  }

  return {
    child,
    sink: (stream) => ({
      write: (chunk) => child(stream, chunk),
      once: (event, listener) => targets[stream].once(event, listener),
    }),
    say,
    flush,
  };
}
