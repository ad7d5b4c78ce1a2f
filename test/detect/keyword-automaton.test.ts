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

  it('refuses a keyword list it cannot follow, naming the part', () => {
    expect(() => compileKeywordAutomaton(/token|cred(?:ential)?/i)).toThrow(/`cred\(\?:ential\)\?`/);
    expect(() => compileKeywordAutomaton(/token/)).toThrow(/case-insensitive/);
  });
});
