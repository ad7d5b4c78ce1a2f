/**
 * Which `Expiration` the credential endpoint advertises, and why it is not the real one.
 *
 * AWS SDK v3 caches what a credential provider returns and asks again only when the cached
 * credentials are about to expire: `Expiration - now < 5 minutes`. Two layers apply the same window,
 * both read from the SDK source (v3.97x):
 * - `@smithy/core` `memoizeIdentityProvider` with `EXPIRATION_MS = 300_000`, which wraps the
 *   credentials of every client (`resolveAwsSdkSigV4Config`);
 * - `@aws-sdk/credential-provider-node` `defaultProvider` → `memoizeChain(…, credentialsTreatedAsExpired)`,
 *   `expiration - Date.now() < 300000`, the chain the CDK CLI uses when it runs without `--profile`.
 *   Inside the window it refreshes *passively*: the call that notices still signs with the old key,
 *   the next one gets the new key; a failed refresh keeps the old key until it is really past expiry.
 *
 * An SDK that was handed the real expiration (often an hour or more away) would therefore keep a key
 * for up to 55 minutes, even after STS started rejecting it: nothing but the expiration makes it ask
 * again. So the endpoint advertises a short lease instead: `now + 5 min + leaseMs`. The SDK asks
 * again `leaseMs` after each fetch, which is how a rotated or revoked key is replaced in a running
 * child without a restart. The advertised time is never later than the real expiry, so the SDK never
 * believes a key lives longer than it does; within the last five minutes of a key's life the SDK
 * asks on every call, which is exactly when fresh credentials are about to arrive.
 *
 * Credentials without a known expiry (long-term AKIA keys) get the same short lease: the endpoint
 * must send an `Expiration` anyway (the SDK rejects an answer without one) and the lease keeps the
 * child following rotations.
 */

/** The SDK's refresh window: it re-fetches when the advertised expiration is closer than this. */
export const SDK_REFRESH_WINDOW_MS = 300_000;

/** How long after each fetch an SDK child asks again, by default. */
export const DEFAULT_LEASE_MS = 60_000;

export interface AdvertisedExpirationInput {
  /** When the credentials really stop working, if known. */
  realExpiration?: Date;
  /** The current time in epoch milliseconds. */
  now: number;
  /** How long after this answer the SDK should come back; defaults to {@link DEFAULT_LEASE_MS}. */
  leaseMs?: number;
}

/** Rejects a lease that is not a finite, non-negative number of milliseconds. */
export function validateLeaseMs(leaseMs: unknown): number {
  if (typeof leaseMs !== 'number' || !Number.isFinite(leaseMs) || leaseMs < 0) {
    throw new TypeError(
      `Expected \`leaseMs\` to be a non-negative number of milliseconds, got \`${String(leaseMs)}\` (${typeof leaseMs}).`,
    );
  }
  return leaseMs;
}

/** `min(realExpiration, now + 5 min + leaseMs)`. */
export function advertisedExpiration({
  realExpiration,
  now,
  leaseMs = DEFAULT_LEASE_MS,
}: AdvertisedExpirationInput): Date {
  const lease = now + SDK_REFRESH_WINDOW_MS + validateLeaseMs(leaseMs);
  if (realExpiration === undefined) return new Date(lease);
  return new Date(Math.min(realExpiration.getTime(), lease));
}
