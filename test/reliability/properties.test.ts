// Properties the existing suites leave out (see README.md here for the map):
// - test/credentials/parse-credentials-file.property.test.ts draws ASCII text and damaged real files;
//   here: any Unicode or raw bytes, any JSON document, and secrets put where they do not belong
//   (in the wrong field, of the wrong type, under the wrong variable name), which must never be echoed.
// - test/detect/properties.test.ts checks ANSI codes and line endings one at a time; here: together,
//   on the kind of long coloured CRLF lines Windows-built tools print.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredentialProblem } from '../../src/credentials/errors.js';
import { parseCredentialsFile } from '../../src/credentials/parse-credentials-file.js';
import { detectCredentialError } from '../../src/detect/detect-credential-error.js';

const now = new Date('2030-06-01T12:00:00Z');
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const secretArbitrary = fc.string({ unit: fc.constantFrom(...BASE64), minLength: 40, maxLength: 40 });
const tokenArbitrary = fc.string({ unit: fc.constantFrom(...BASE64), minLength: 100, maxLength: 300 });
const keyIdArbitrary = fc
  .tuple(
    fc.constantFrom('ASIA', 'AKIA'),
    fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 16, maxLength: 16 }),
  )
  .map(([prefix, rest]) => prefix + rest);

/** True when any 12-character piece of `secret` is in `text` (a masked key id shows 8). */
function leaks(text: string, secret: string): boolean {
  for (let i = 0; i + 12 <= secret.length; i++) if (text.includes(secret.slice(i, i + 12))) return true;
  return false;
}

function shown(result: ReturnType<typeof parseCredentialsFile>): string | undefined {
  if (!(result instanceof CredentialProblem)) return undefined;
  return `${result.message} ${result.problem} ${result.fix ?? ''}`;
}

function isAnswer(result: ReturnType<typeof parseCredentialsFile>): boolean {
  return result instanceof CredentialProblem || typeof result.credentials === 'object';
}

describe('parseCredentialsFile: input the other properties do not draw', () => {
  it('never throws on any Unicode text or raw bytes, however long', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 3000 }),
          fc.string({ unit: 'grapheme', maxLength: 500 }),
          fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
          fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
        ),
        (text) => {
          expect(isAnswer(parseCredentialsFile(text, { now }))).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('never throws on any JSON document, of any shape or depth', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(isAnswer(parseCredentialsFile(JSON.stringify(value), { now }))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('never echoes a secret put in the wrong field, with the wrong type, or nested where none belongs', () => {
    const fieldValue = (secret: string, token: string, keyId: string) =>
      fc.oneof(
        fc.constant(secret),
        fc.constant(token),
        fc.constant(keyId),
        fc.constant([secret]),
        fc.constant({ value: token }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(`${secret}\n${token}`),
      );
    const document = fc
      .tuple(secretArbitrary, tokenArbitrary, keyIdArbitrary)
      .chain(([secret, token, keyId]) =>
        fc
          .record(
            {
              Version: fc.oneof(fc.constant(1), fc.constant(2), fc.constant(secret)),
              AccessKeyId: fieldValue(secret, token, keyId),
              SecretAccessKey: fieldValue(secret, token, keyId),
              SessionToken: fieldValue(secret, token, keyId),
              Expiration: fc.oneof(fc.constant('2031-01-01T00:00:00Z'), fieldValue(secret, token, keyId)),
            },
            { requiredKeys: [] },
          )
          .chain((fields) =>
            fc.constantFrom<unknown>(fields, { Credentials: fields }, { roleCredentials: fields }, [fields]),
          )
          .map((doc) => ({ secret, token, text: JSON.stringify(doc) })),
      );
    fc.assert(
      fc.property(document, ({ secret, token, text }) => {
        const message = shown(parseCredentialsFile(text, { now }));
        if (message === undefined) return;
        expect(leaks(message, secret)).toBe(false);
        expect(leaks(message, token)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('never echoes a secret assigned to the wrong variable, quoted or not, with export or not', () => {
    const names = [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_CREDENTIAL_EXPIRATION',
      'AWS_REGION',
      'AWS_PROFILE',
    ];
    const file = fc.tuple(secretArbitrary, tokenArbitrary, keyIdArbitrary).chain(([secret, token, keyId]) =>
      fc
        .array(
          fc.tuple(
            fc.constantFrom(...names),
            fc.constantFrom(secret, token, keyId, `${secret}${token}`, `"${token}`),
            fc.constantFrom('', 'export ', '  export\t'),
            fc.constantFrom('', '"', "'"),
          ),
          { minLength: 1, maxLength: 6 },
        )
        .map((lines) => ({
          secret,
          token,
          text: lines
            .map(([name, value, prefix, quote]) => `${prefix}${name}=${quote}${value}${quote}`)
            .join('\n'),
        })),
    );
    fc.assert(
      fc.property(file, ({ secret, token, text }) => {
        const message = shown(parseCredentialsFile(text, { now }));
        if (message === undefined) return;
        expect(leaks(message, secret)).toBe(false);
        expect(leaks(message, token)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('detectCredentialError: ANSI codes and line endings together', () => {
  const lines = [
    'ExpiredToken: The security token included in the request is expired',
    '[SDK error] STS.GetCallerIdentity({}) -> ExpiredToken: The security token included in the request is expired',
    'An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.',
    'Unable to locate credentials. You can configure credentials by running "aws configure".',
    'Error when retrieving token from sso: Token has expired and refresh failed',
    'Stack: deploying... [1/1]',
    '✨  Deployment time: 42.1s',
    'Lambda function updated: expired cache entries removed',
  ];
  const sgr = fc.constantFrom('\u001b[0m', '\u001b[31m', '\u001b[1;33m', '\u001b[38;5;196m', '\u001b[39m');

  it('gives the same answer for a coloured CRLF line as for the plain one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...lines),
        fc.array(fc.tuple(fc.nat(), sgr), { maxLength: 6 }),
        fc.constantFrom('\r\n', '\r', '\u001b[0m\r\n', '\r\n\u001b[0m'),
        (line, insertions, ending) => {
          const chars = [...line];
          for (const [at, code] of [...insertions].sort(([a], [b]) => b - a)) {
            chars.splice(at % (chars.length + 1), 0, code);
          }
          expect(detectCredentialError(`${chars.join('')}${ending}`)).toBe(detectCredentialError(line));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
