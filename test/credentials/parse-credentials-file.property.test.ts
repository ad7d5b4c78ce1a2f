import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredentialProblem } from '../../src/credentials/errors.js';
import { parseCredentialsFile } from '../../src/credentials/parse-credentials-file.js';
import {
  credentialProcessJson,
  envText,
  type SampleKeys,
  ssoJson,
  stsJson,
} from './support/sample-credentials.js';

const now = new Date('2030-06-01T12:00:00Z');
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const base64String = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...BASE64), minLength, maxLength });

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const validKeyId = fc
  .tuple(
    fc.constantFrom('ASIA', 'AKIA'),
    fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 16, maxLength: 16 }),
  )
  .map(([prefix, rest]) => prefix + rest);
const oddKeyId = fc
  .tuple(
    fc.constantFrom('AIDA', 'ASIA', ''),
    fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 12, maxLength: 20 }),
  )
  .map(([prefix, rest]) => prefix + rest);

// Mostly well-formed sets (so the damage below is what the parser meets), some odd ones.
const keysArbitrary: fc.Arbitrary<SampleKeys> = fc
  .record({
    accessKeyId: fc.oneof({ arbitrary: validKeyId, weight: 8 }, { arbitrary: oddKeyId, weight: 1 }),
    secretAccessKey: base64String(24, 48),
    sessionToken: base64String(40, 200),
    withToken: fc.boolean(),
    expiration: fc.option(
      fc.date({ min: new Date('2029-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
      {
        nil: undefined,
      },
    ),
  })
  .map(({ withToken, sessionToken, accessKeyId, ...rest }) => ({
    ...rest,
    accessKeyId,
    ...((accessKeyId.startsWith('ASIA') || withToken) && { sessionToken }),
  }));

/** Damage of the kinds files really suffer: cut short, a byte changed, lines lost or repeated, junk added. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), with: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), with: fc.string({ maxLength: 20 }) }),
  fc.constant({ kind: 'none' as const }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const pos = 'at' in m ? m.at % (text.length + 1) : 0;
  const lines = text.split('\n');
  const line = 'at' in m ? m.at % lines.length : 0;
  switch (m.kind) {
    case 'cut':
      return text.slice(0, pos);
    case 'replace':
      return text.slice(0, pos) + m.with + text.slice(pos + m.with.length);
    case 'insert':
      return text.slice(0, pos) + m.with + text.slice(pos);
    case 'drop-line':
      return lines.filter((_, i) => i !== line).join('\n');
    case 'repeat-line':
      return [...lines.slice(0, line + 1), lines[line], ...lines.slice(line + 1)].join('\n');
    case 'none':
      return text;
  }
}

/** No run of 12 characters from a secret may appear in a message (a masked key id shows 8). */
function leaks(message: string, secret: string | undefined): boolean {
  if (!secret) return false;
  for (let i = 0; i + 12 <= secret.length; i++) if (message.includes(secret.slice(i, i + 12))) return true;
  return false;
}

describe('parseCredentialsFile (properties)', () => {
  it('never throws, on any text at all', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const result = parseCredentialsFile(text, { now });
        expect(result instanceof CredentialProblem || typeof result.credentials === 'object').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and never shows a secret, token or whole key id, whatever happens to a real file', () => {
    const format = fc.constantFrom(envText, credentialProcessJson, stsJson, ssoJson, (k: SampleKeys) =>
      envText(k).replaceAll('export ', '').replaceAll('=', "='").replaceAll('\n', "'\n"),
    );
    fc.assert(
      fc.property(keysArbitrary, format, fc.array(mutation, { maxLength: 3 }), (keys, render, mutations) => {
        const text = mutations.reduce(mutate, render(keys));
        const result = parseCredentialsFile(text, { now });
        if (!(result instanceof CredentialProblem)) return;
        const shown = `${result.message} ${result.problem} ${result.fix ?? ''}`;
        expect(leaks(shown, keys.secretAccessKey)).toBe(false);
        expect(leaks(shown, keys.sessionToken)).toBe(false);
        expect(shown).not.toContain(keys.accessKeyId);
      }),
      { numRuns: 3000 },
    );
  });
});
