/**
 * A value that changes whenever a set of credentials changes, without revealing them: the
 * supervisor and `exec` use it to tell "the source gave the same credentials again" from "fresh
 * ones". The readable part (key id ends, expiration) helps in logs; the hash tells apart two
 * sessions of one role that share everything visible but the token.
 */
import { createHash } from 'node:crypto';
import type { ResolvedCredentials } from './types.js';

export function fingerprintOf(resolved: ResolvedCredentials): string {
  const { accessKeyId, sessionToken, expiration } = resolved.credentials;
  const digest = createHash('sha256')
    .update(accessKeyId)
    .update('\0')
    .update(sessionToken ?? '')
    .digest('base64url')
    .slice(0, 12);
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}@${expiration?.toISOString() ?? 'none'}:${digest}`;
}
