/**
 * A line splitter for the detector that skips the work for output that cannot hold a credential
 * error. Splitting and UTF-8-decoding every line of a chatty child costs far more than passing its
 * bytes through; but every detection rule contains one of a few keywords, so a chunk in which none
 * occurs holds no line to detect. The keywords are looked for on the raw bytes by an automaton (a
 * table load per byte, no decoding, no string), whose state carries over to the next chunk. Only the
 * unfinished line of a skipped chunk is kept, so that a keyword arriving later is still judged on its
 * whole line (the Lambda-log and stack-event look-alikes are told apart by how a line starts).
 */
import { CREDENTIAL_ERROR_KEYWORDS } from './credential-error-rules.js';
import { compileKeywordAutomaton, type KeywordAutomaton } from './keyword-automaton.js';
import { createLineSplitter, DEFAULT_MAX_LINE_BYTES, type LineSplitterOptions } from './line-splitter.js';

const NEWLINE = 0x0a;

export interface KeywordGatedSplitter {
  write(chunk: Uint8Array): void;
  /** Emits the partial last line (if it could matter). */
  flush(): void;
}

let keywords: KeywordAutomaton | undefined;

export function createKeywordGatedSplitter(
  onLine: (line: string) => void,
  options: LineSplitterOptions = {},
): KeywordGatedSplitter {
  keywords ??= compileKeywordAutomaton(CREDENTIAL_ERROR_KEYWORDS);
  const automaton = keywords;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const splitter = createLineSplitter(onLine, options);
  let state = automaton.start;
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
      // A line the splitter holds already goes on to the splitter, keyword or not.
      if (splitter.bufferedBytes === 0) {
        const after = automaton.scan(chunk, state);
        if (after >= 0) {
          state = after;
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
      }
      for (const part of carry) splitter.write(part);
      carry = [];
      carryBytes = 0;
      splitter.write(chunk);
      // The splitter now holds this chunk's unfinished line, if any, and takes the next chunk whole
      // until that line ends; a chunk that ended a line leaves no keyword half-read.
      state = automaton.start;
    },
    flush() {
      // A skipped partial line holds no keyword: nothing to detect in it.
      carry = [];
      carryBytes = 0;
      state = automaton.start;
      splitter.flush();
    },
  };
}
