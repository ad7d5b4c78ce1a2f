/**
 * Puts `name | ` in front of every line one child writes to one stream, and passes only whole lines
 * on: with several children on one terminal, a partial line of one must never be spliced into
 * another's. The rest of a line waits for its newline (or the stream's end). Bytes are never changed
 * otherwise: strip the prefixes and the child's stream is what it wrote.
 */
import type { OutputSink } from '../child/spawn-child.js';

const NEWLINE = 0x0a;

export interface LinePrefixer extends OutputSink {
  /** Writes a held partial line (ended by a newline so the next prefix starts a line). */
  flush(): void;
}

export function createLinePrefixer(prefix: string, target: OutputSink): LinePrefixer {
  const head = Buffer.from(prefix);
  let pending: Buffer | undefined;
  return {
    write(chunk: Uint8Array): boolean {
      const data = pending ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
      const last = data.lastIndexOf(NEWLINE);
      if (last === -1) {
        pending = data;
        return true;
      }
      pending = last === data.length - 1 ? undefined : data.subarray(last + 1);
      // One allocation per chunk: count the lines, then copy prefix and line for each.
      let lines = 0;
      for (let at = data.indexOf(NEWLINE); at !== -1 && at <= last; at = data.indexOf(NEWLINE, at + 1))
        lines++;
      const out = Buffer.allocUnsafe(last + 1 + lines * head.length);
      let offset = 0;
      for (let start = 0; start <= last; ) {
        const end = data.indexOf(NEWLINE, start) + 1;
        offset += head.copy(out, offset);
        offset += data.copy(out, offset, start, end);
        start = end;
      }
      return target.write(out);
    },
    once: (event, listener) => target.once(event, listener),
    flush(): void {
      if (!pending) return;
      const rest = pending;
      pending = undefined;
      target.write(Buffer.concat([head, rest, Buffer.from('\n')]));
    },
  };
}
