/**
 * A line splitter for the detector that skips the work for output that cannot hold a credential
 * error. Splitting and UTF-8-decoding every line of a chatty child costs far more than passing its
 * bytes through; but every detection rule contains one of a few keywords, so a chunk in which none
 * occurs (checked once per chunk on the raw bytes, read as latin1: no decoding) holds no line to
 * detect. Only the unfinished line of such a chunk is kept, so that a keyword arriving later is still
 * judged on its whole line (the Lambda-log and stack-event look-alikes are told apart by how a line
 * starts).
 */
import { CREDENTIAL_ERROR_KEYWORDS } from './credential-error-rules.js';
import { createLineSplitter, DEFAULT_MAX_LINE_BYTES, type LineSplitterOptions } from './line-splitter.js';

/** Longer than the longest keyword, so one cut in two by a chunk boundary is still seen. */
const OVERLAP_CHARS = 32;
const NEWLINE = 0x0a;

export interface KeywordGatedSplitter {
  write(chunk: Uint8Array): void;
  /** Emits the partial last line (if it could matter). */
  flush(): void;
}

export function createKeywordGatedSplitter(
  onLine: (line: string) => void,
  options: LineSplitterOptions = {},
): KeywordGatedSplitter {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const splitter = createLineSplitter(onLine, options);
  let tail = '';
  // The unfinished line of skipped chunks: its start, bounded.
  let carry: Buffer[] = [];
  let carryBytes = 0;

  const keepCarry = (bytes: Uint8Array) => {
    if (carryBytes >= maxLineBytes) return;
    const part = Buffer.from(bytes.subarray(0, maxLineBytes - carryBytes)); // a copy: producers reuse buffers
    carry.push(part);
    carryBytes += part.length;
  };

  return {
    write(chunk) {
      if (chunk.length === 0) return;
      const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      const hit = CREDENTIAL_ERROR_KEYWORDS.test(tail + text);
      tail = (tail + text.slice(-OVERLAP_CHARS)).slice(-OVERLAP_CHARS);
      if (!hit && splitter.bufferedBytes === 0) {
        const lastNewline = chunk.lastIndexOf(NEWLINE);
        if (lastNewline >= 0) {
          carry = [];
          carryBytes = 0;
          keepCarry(chunk.subarray(lastNewline + 1));
        } else {
          keepCarry(chunk);
        }
        return;
      }
      for (const part of carry) splitter.write(part);
      carry = [];
      carryBytes = 0;
      splitter.write(chunk);
    },
    flush() {
      // A skipped partial line holds no keyword: nothing to detect in it.
      carry = [];
      carryBytes = 0;
      splitter.flush();
    },
  };
}
