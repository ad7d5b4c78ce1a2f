/**
 * Access key ids are the one credential part that may be shown, and only masked: enough to tell two
 * keys apart in a message, never enough to use.
 */

const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

/** `ASIA` keys are temporary (from STS/SSO) and only work with their session token. */
export function isTemporaryAccessKeyId(accessKeyId: string): boolean {
  return accessKeyId.startsWith('ASIA');
}

export function isAccessKeyIdShape(value: string): boolean {
  return ACCESS_KEY_ID.test(value);
}

/** An `ASIA…` or `AKIA…` key id → its first and last four characters (`ASIA…WXYZ`). Anything not shaped like a key id is not shown at all. */
export function maskAccessKeyId(value: string): string {
  if (!isAccessKeyIdShape(value)) return '(not an access key id)';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** Why `value` is not an access key id, without showing it; undefined when it is one. */
export function describeBadAccessKeyId(value: string): string | undefined {
  if (isAccessKeyIdShape(value)) return undefined;
  return `expected AKIA or ASIA followed by 16 capital letters or digits, got ${value.length} characters`;
}
