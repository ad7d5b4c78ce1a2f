import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_ERROR_KINDS } from '../../src/detect/credential-error-kind.js';
import { detectCredentialError } from '../../src/detect/detect-credential-error.js';

interface CorpusEntry {
  text: string;
  kind: string | null;
  should_trigger: boolean;
}

const corpus = readFileSync(new URL('../fixtures/credential-errors.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as CorpusEntry);
const corpusLines = corpus.map((entry) => entry.text);
const positives = corpus.filter((entry) => entry.should_trigger).map((entry) => entry.text);
const possibleResults = [null, ...CREDENTIAL_ERROR_KINDS];

// Pieces of real messages, so that random lines reach the detailed rules instead of stopping at the
// keyword pre-filter.
const fragments = [
  'ExpiredToken',
  'Token',
  'expired',
  ' security token included in the request is ',
  'invalid',
  'SSO session',
  'aws sso login',
  'credentials',
  'Unable to locate credentials',
  'CredentialsProviderError:',
  '[/aws/lambda/Fn] 10:00:00 ',
  'CREATE_FAILED',
  '    at ',
  '(',
  ')',
  ':',
  '"',
  '\r',
  '\n',
  '\t',
  '\u001b[31m',
];
const messyLine = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'binary', maxLength: 12 })), {
    maxLength: 25,
  })
  .map((pieces) => pieces.join(''));

const sgrCode = fc.constantFrom(
  '\u001b[0m',
  '\u001b[1m',
  '\u001b[31m',
  '\u001b[39m',
  '\u001b[1;4m',
  '\u001b[38;5;196m',
  '\u001b[48;2;10;20;30m',
  '\u001b[22m',
);

/** `line` with SGR codes inserted at the given positions: around words and inside them. */
function withSgrCodes(line: string, insertions: Array<[number, string]>): string {
  const chars = [...line];
  for (const [position, code] of [...insertions].sort(([a], [b]) => b - a)) {
    chars.splice(position % (chars.length + 1), 0, code);
  }
  return chars.join('');
}

describe('detectCredentialError properties', () => {
  it('never throws and answers only with a kind or null, on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), messyLine),
        (line) => {
          expect(possibleResults).toContain(detectCredentialError(line));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the same answer when ANSI SGR codes colour the line, around or inside words', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...corpusLines),
        fc.array(fc.tuple(fc.nat(), sgrCode), { minLength: 1, maxLength: 6 }),
        (line, insertions) => {
          expect(detectCredentialError(withSgrCodes(line, insertions))).toBe(detectCredentialError(line));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives the same answer with CR or CRLF line endings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...corpusLines), messyLine),
        fc.constantFrom('\r', '\r\n'),
        (line, ending) => {
          expect(detectCredentialError(`${line}${ending}`)).toBe(detectCredentialError(line));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps the kind of a credential error under the prefixes real output puts before it', () => {
    const prefix = fc.constantFrom(
      '',
      '[12:00:01] ',
      '2024-05-01 10:00:00,123 ERROR ',
      '2024-05-01T10:00:00.123Z ',
      '❌ ',
      'Error: ',
      '[SDK error] STS.GetCallerIdentity({}) -> ',
      '\u001b[31m',
      'sam sync: ',
    );
    fc.assert(
      fc.property(prefix, fc.constantFrom(...positives), (before, line) => {
        expect(detectCredentialError(`${before}${line}`)).toBe(detectCredentialError(line));
      }),
      { numRuns: 500 },
    );
  });
});
