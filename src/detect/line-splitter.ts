/**
 * Turns a child's output stream (Buffer chunks cut anywhere, even inside a UTF-8 character) into lines
 * for the credential-error detector, in bounded memory.
 *
 * Lines are split on `\n` in the raw bytes (0x0A never occurs inside a multi-byte UTF-8 sequence), so a
 * character cut between two chunks is decoded whole. A trailing `\r` is removed. Invalid UTF-8 becomes
 * U+FFFD; it never throws.
 *
 * A line longer than `maxLineBytes` is not buffered whole: its first and last `maxLineBytes / 2` bytes
 * are kept and emitted, when the line ends, joined by a marker saying how many bytes were left out.
 * Both ends matter to the detector: the prefix tells relayed Lambda logs apart, and CDK's trace puts the
 * error after a whole template (`[SDK error] CloudFormation.CreateChangeSet({...}) -> ExpiredToken: ...`).
 *
 * This is for watching the output, not for passing it through: the child's bytes go to the terminal
 * unchanged by another path.
 */
export interface LineSplitter {
  /** Feeds the next chunk of output; calls `onLine` for every line it completes. */
  write(chunk: Uint8Array | string): void;
  /** Emits the partial last line, if any (at the end of the stream). */
  flush(): void;
  /** Bytes of the unfinished line held in memory: never more than `maxLineBytes`. */
  readonly bufferedBytes: number;
}

export interface LineSplitterOptions {
  /** The most bytes of one line kept in memory; longer lines keep both ends. Default 64 KiB. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
const MIN_MAX_LINE_BYTES = 16;
const NEWLINE = 0x0a;

export function createLineSplitter(
  onLine: (line: string) => void,
  { maxLineBytes = DEFAULT_MAX_LINE_BYTES }: LineSplitterOptions = {},
): LineSplitter {
  validateMaxLineBytes(maxLineBytes);
  const headLimit = Math.floor(maxLineBytes / 2);
  const tailLimit = maxLineBytes - headLimit;

  // The current line: whole while it fits in maxLineBytes (`parts`), else its head, a rolling tail and
  // the count of bytes dropped between them.
  let parts: Buffer[] = [];
  let size = 0;
  let head: Buffer | undefined;
  let tail: Buffer = Buffer.alloc(0);
  let omitted = 0;

  function append(segment: Buffer): void {
    if (segment.length === 0) return;
    if (head === undefined && size + segment.length <= maxLineBytes) {
      // Copied: a small slice of a large chunk would otherwise keep the whole chunk alive.
      parts.push(Buffer.from(segment));
      size += segment.length;
      return;
    }
    if (head === undefined) {
      // The line just outgrew the limit: keep its first headLimit and last tailLimit bytes. Their sum is
      // maxLineBytes, smaller than the line, so they never overlap.
      const buffered = Buffer.concat(parts, size);
      const total = size + segment.length;
      head =
        size >= headLimit
          ? Buffer.from(buffered.subarray(0, headLimit))
          : Buffer.concat([buffered, segment.subarray(0, headLimit - size)]);
      tail =
        segment.length >= tailLimit
          ? Buffer.from(segment.subarray(segment.length - tailLimit))
          : Buffer.concat([buffered.subarray(size - (tailLimit - segment.length)), segment]);
      omitted = total - head.length - tail.length;
      parts = [];
      size = 0;
      return;
    }
    const joined = segment.length >= tailLimit ? segment : Buffer.concat([tail, segment]);
    const kept = joined.subarray(joined.length - Math.min(tailLimit, joined.length));
    omitted += tail.length + segment.length - kept.length;
    tail = Buffer.from(kept);
  }

  function emit(): void {
    let line: string;
    if (head === undefined) {
      line = decode(Buffer.concat(parts, size));
    } else {
      line = `${decodeHead(head)} [… ${omitted} bytes omitted …] ${decodeTail(tail)}`;
    }
    parts = [];
    size = 0;
    head = undefined;
    tail = Buffer.alloc(0);
    omitted = 0;
    onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  return {
    write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk);
      let start = 0;
      for (let end = bytes.indexOf(NEWLINE, start); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
        append(bytes.subarray(start, end));
        emit();
        start = end + 1;
      }
      append(bytes.subarray(start));
    },
    flush() {
      if (size > 0 || head !== undefined) emit();
    },
    get bufferedBytes() {
      return head === undefined ? size : head.length + tail.length;
    },
  };
}

function validateMaxLineBytes(value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MIN_MAX_LINE_BYTES) {
    throw new TypeError(
      `Expected the \`maxLineBytes\` option to be an integer of at least ${MIN_MAX_LINE_BYTES}, got \`${String(value)}\` (${typeof value}).`,
    );
  }
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

// Without `stream`, decoding keeps no state between calls, so one decoder serves every line.
const utf8 = new TextDecoder('utf-8');

function decode(bytes: Buffer): string {
  return utf8.decode(bytes);
}

/** The head may end inside a character: decoding in stream mode leaves the incomplete bytes out. */
function decodeHead(bytes: Buffer): string {
  return new TextDecoder('utf-8').decode(bytes, { stream: true });
}

/** The tail may start inside a character: skip its continuation bytes (10xxxxxx), at most three. */
function decodeTail(bytes: Buffer): string {
  let start = 0;
  while (start < 3 && start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return decode(bytes.subarray(start));
}
