// fast-check generators for AWS-shaped secrets and the text they hide in.
import fc from 'fast-check';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

/** A secret access key: 40 base64 characters. */
export const secretAccessKey = () => chars(BASE64, 40, 40);
/** A session token: a long base64 run, sometimes padded. */
export const sessionToken = () =>
  fc.tuple(chars(BASE64, 100, 900), fc.constantFrom('', '=', '==')).map(([body, pad]) => body + pad);
/** A long hex token, as a random endpoint token might be. */
export const hexToken = () => chars(HEX, 32, 64);
export const accessKeyId = () =>
  fc.tuple(fc.constantFrom('AKIA', 'ASIA'), chars(BASE32_UPPER, 16, 16)).map(([p, rest]) => p + rest);
/** Any token the supervisor registers (e.g. the endpoint token): found even glued to other text. */
export const registeredToken = () => chars(BASE64URL, 16, 64);

/** Ordinary words, numbers and punctuation around a secret. */
export const filler = () =>
  fc.string({
    unit: fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .,:;-_()[]{}"\'\n\t=<>|!?#@&*%~`é☁',
    ),
    maxLength: 40,
  });

/** Characters that end a secret in real output: spaces, quotes, separators, newlines. */
export const delimiter = () =>
  fc.constantFrom(
    ' ',
    '\n',
    '\t',
    '"',
    "'",
    '=',
    ':',
    ',',
    ';',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '<',
    '>',
    '|',
    '.',
    '-',
    '_',
    '@',
    '!',
    '?',
    '&',
    '`',
    '\r',
  );

/** `before<d>secret<d>after`. */
export const embedded = (secret: fc.Arbitrary<string>) =>
  fc
    .tuple(filler(), delimiter(), secret, delimiter(), filler())
    .map(([before, d1, value, d2, after]) => ({ value, text: `${before}${d1}${value}${d2}${after}` }));
