import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_ERROR_KEYWORDS } from '../../src/detect/credential-error-rules.js';
import { detectCredentialError } from '../../src/detect/detect-credential-error.js';
import { getExaminedText } from '../../src/detect/examined-text.js';
import { compileKeywordAutomaton } from '../../src/detect/keyword-automaton.js';
import { createKeywordGatedSplitter } from '../../src/detect/keyword-gated-splitter.js';
import { createLineSplitter } from '../../src/detect/line-splitter.js';

const automaton = compileKeywordAutomaton(CREDENTIAL_ERROR_KEYWORDS);

/** Whether the automaton reports a keyword in `bytes` cut at `cuts`, carrying its state across. */
function hits(bytes: Buffer, cuts: number[]): boolean {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let state = automaton.start;
  let start = 0;
  for (const point of [...points, bytes.length]) {
    state = automaton.scan(bytes.subarray(start, point), state);
    if (state < 0) return true;
    start = point;
  }
  return false;
}

// Pieces that build keywords in every case, near misses, separators and escapes.
const PIECES = [
  'token',
  'ToKeN',
  'EXPIRED',
  'expi',
  'red',
  'sso',
  'SS',
  'o',
  'access',
  ' ',
  'key',
  'AccessKey',
  'aws',
  'account',
  'login',
  'providers in chain',
  'Imds Role',
  'invalidgrant',
  'container',
  'metadata',
  'credential',
  'signature',
  'unrecognizedclient',
  'authfailure',
  'authenticate',
  'instance role',
  '\r',
  '\n',
  '\x1b[31m',
  '\x1b[0m',
  '\x1b]8;;http://x\x07',
  'é',
  '✔',
  '\u009b',
  'x',
  'deploying ',
  '[1/1]',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 16 }).map((parts) => parts.join(''));

describe('keyword automaton', () => {
  it('without escapes, says exactly what the keyword regex says (CR read as a space), wherever the bytes are cut', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        const plain = input.replace(/[\x1b\u009b]/g, '');
        const expected = CREDENTIAL_ERROR_KEYWORDS.test(plain.replace(/\r/g, ' '));
        expect(hits(Buffer.from(plain), cuts)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('never misses a keyword the detector would see once escapes are removed, line by line', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        const seen = input.split('\n').some((line) => CREDENTIAL_ERROR_KEYWORDS.test(getExaminedText(line)));
        if (seen) expect(hits(Buffer.from(input), cuts)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('sees a keyword that a UTF-8 C1 CSI (C2 9B) splits, as strip-ansi joins it (found by the property below)', () => {
    expect(CREDENTIAL_ERROR_KEYWORDS.test(getExaminedText('SS\u009blogin'))).toBe(true);
    expect(hits(Buffer.from('SS\u009blogin'), [])).toBe(true);
  });

  it('an escape inside a keyword still reaches the detector through the gated splitter', () => {
    // Every keyword of the line is cut by an escape: the raw bytes hold none of them whole.
    const lines = ['Expi\x1b[1mredTo\x1b[0mken: x', 'ok'];
    const found = (gated: boolean) => {
      const kinds: string[] = [];
      const onLine = (line: string) => {
        const kind = detectCredentialError(line);
        if (kind) kinds.push(kind);
      };
      const splitter = gated ? createKeywordGatedSplitter(onLine) : createLineSplitter(onLine);
      splitter.write(Buffer.from(lines.join('\n')));
      splitter.flush();
      return kinds;
    };
    expect(found(false)).not.toEqual([]);
    expect(found(true)).toEqual(found(false));
  });

  it('reads a long chunk (in lanes, by words) exactly as byte by byte, at any offset in its buffer', () => {
    // Long texts of the same pieces plus raw bytes UTF-8 never makes (runs of C2, which every state
    // passes over), long enough for the lanes; placed at every alignment inside a larger buffer.
    const piece = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...PIECES).map((p) => Buffer.from(p)) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => Buffer.alloc(n, 0xc2)) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 600 }).map((n) => Buffer.alloc(n, 'x')) },
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 120 }),
        fc.nat({ max: 3 }),
        fc.nat({ max: 30 }),
        (pieces, offset, startAfter) => {
          const text = Buffer.concat(pieces);
          const holder = Buffer.alloc(text.length + 8);
          text.copy(holder, offset);
          const chunk = holder.subarray(offset, offset + text.length);
          // A state carried in from an earlier chunk: the one after a prefix of the text.
          const state = automaton.scan(text.subarray(0, Math.min(startAfter, text.length)), automaton.start);
          if (state < 0) return;
          let expected = state;
          for (let at = 0; at < text.length && expected >= 0; at += 512) {
            expected = automaton.scan(text.subarray(at, at + 512), expected);
          }
          expect(automaton.scan(chunk, state)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('in a long chunk, sees a keyword at every position, across where its lanes meet', () => {
    // The longest keywords (a lane must read back as far as they are long), one cut by a run of C2
    // (which a lane must not count) and an escape inside a possible keyword, each placed at every
    // position of a 1100-byte chunk at every alignment.
    const needles = [
      Buffer.from('providers in chain'),
      Buffer.from('UnrecognizedClient'),
      Buffer.from('sso'),
      Buffer.concat([Buffer.from('provid'), Buffer.alloc(40, 0xc2), Buffer.from('ers in chain')]),
      Buffer.from('aws\x1b[0m'),
    ];
    const length = 1100;
    for (const needle of needles) {
      for (let offset = 0; offset < 4; offset++) {
        const holder = Buffer.alloc(length + 4, 'x');
        const chunk = holder.subarray(offset, offset + length);
        for (let at = 0; at + needle.length <= length; at++) {
          chunk.fill('x');
          needle.copy(chunk, at);
          if (automaton.scan(chunk, automaton.start) !== -1) {
            expect.fail(`missed ${JSON.stringify(needle.toString('latin1'))} at ${at}, offset ${offset}`);
          }
        }
      }
    }
    // A keyword's start at any position before the chunk ends: the state carried out is the same.
    const start = Buffer.from('providers in chai');
    const chunk = Buffer.alloc(length, 'x');
    for (let at = length - 40; at + start.length <= length; at++) {
      chunk.fill('x');
      start.copy(chunk, at);
      let bytewise = automaton.start;
      for (let from = 0; from < length; from += 512)
        bytewise = automaton.scan(chunk.subarray(from, from + 512), bytewise);
      expect(automaton.scan(chunk, automaton.start)).toBe(bytewise);
    }
  });

  it('refuses a keyword list it cannot follow, naming the part', () => {
    expect(() => compileKeywordAutomaton(/token|cred(?:ential)?/i)).toThrow(/`cred\(\?:ential\)\?`/);
    expect(() => compileKeywordAutomaton(/token/)).toThrow(/case-insensitive/);
  });
});
