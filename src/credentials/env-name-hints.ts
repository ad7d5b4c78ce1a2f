/**
 * What a variable name in the credentials file was probably meant to be. A name the file does not use
 * is harmless on its own, but when it stands where a credential should be (`aws_access_key_id`,
 * `AWS_SECRET_ACESS_KEY`, the old `AWS_SECRET_KEY`), saying "still being written" would leave the
 * person waiting forever: the file is finished, one name is wrong.
 */
import { distance } from 'fastest-levenshtein';

export interface NameHint {
  /** The name the file should have used. */
  meant: string;
  /** Why `name` is not it, ending with the suggestion and its punctuation. */
  reason: string;
}

/**
 * Names older tools and blog posts use. Some SDKs still read them as fallbacks (the Go SDK, the Java
 * SDK v1; botocore reads AWS_SECURITY_TOKEN), but the JavaScript SDK the CDK CLI is built on does not,
 * and neither does this file's parser: the message says exactly that, not "no SDK reads them".
 */
const OLD_NAMES: Readonly<Record<'AWS_ACCESS_KEY' | 'AWS_SECRET_KEY' | 'AWS_SECURITY_TOKEN', string>> = {
  AWS_ACCESS_KEY: 'AWS_ACCESS_KEY_ID',
  AWS_SECRET_KEY: 'AWS_SECRET_ACCESS_KEY',
  AWS_SECURITY_TOKEN: 'AWS_SESSION_TOKEN',
};

function isOldName(name: string): name is keyof typeof OLD_NAMES {
  return Object.hasOwn(OLD_NAMES, name);
}

/** AWS variables that are real but not credentials: never "corrected" into one. */
const OTHER_AWS_NAMES = new Set([
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_ENDPOINT_URL',
  'AWS_PAGER',
]);

/** The hint for a name that is not one of `known`, or undefined when it looks deliberate. */
export function hintForName(name: string, known: readonly string[]): NameHint | undefined {
  const upper = name.toUpperCase();
  if (upper !== name && known.includes(upper)) {
    return { meant: upper, reason: `is in lowercase, but names are case-sensitive: write ${upper}.` };
  }
  if (isOldName(upper)) {
    const meant = OLD_NAMES[upper];
    return {
      meant,
      reason: `is an old name that the JavaScript SDK (used by the CDK CLI) does not read: write ${meant}.`,
    };
  }
  if (!upper.startsWith('AWS_') || OTHER_AWS_NAMES.has(upper)) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(upper, candidate);
    if (!best || d < best.distance) best = { name: candidate, distance: d };
  }
  // Two edits catch a dropped, doubled or swapped letter without turning AWS_REGION into AWS_PROFILE.
  if (!best || best.distance > 2) return undefined;
  return { meant: best.name, reason: `is not a name AWS tools read; did you mean ${best.name}?` };
}
