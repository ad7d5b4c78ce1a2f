/**
 * Which `Expiration` the credential endpoint advertises, and why it is not the real one.
 *
 * AWS SDK v3 caches what a credential provider returns. Two layers decide when to ask again, both
 * read from the SDK source (v3.97x):
 * - `@smithy/core` `memoizeIdentityProvider` (`EXPIRATION_MS = 300_000`), which wraps every client's
 *   credentials: inside the last five minutes it calls the provider below on every request;
 * - `@aws-sdk/credential-provider-node` `memoizeChain`, the chain the CDK CLI uses without
 *   `--profile`. Inside the five-minute window it refreshes *passively*: the request that notices still
 *   signs with the cached key while the new one is fetched in the background. Only a key whose
 *   expiration has actually *passed* is dropped and re-fetched *before* signing.
 *
 * An SDK handed the real expiration (often an hour away) would keep a key for up to 55 minutes, even
 * after STS started rejecting it. An expiration of `now + 5 min + lease` makes it ask again after the
 * lease, but passively: the first request after a rotation still signs with the old key, and when that
 * key is already dead, `cdk watch` silently drops that deploy (seen against the real CDK CLI,
 * test/endpoint-e2e/cdk-watch.e2e.test.ts). So the endpoint advertises `now + leaseMs`: once the lease
 * has passed the cached key counts as expired and the SDK fetches before signing, so the first request
 * after a rotation already uses the new key. Within the lease each request also triggers a background
 * fetch from this loopback endpoint, which is cheap. The advertised time is never later than the real
 * expiry, so the SDK never believes a key lives longer than it does.
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

/** `min(realExpiration, now + leaseMs)`. */
export function advertisedExpiration({
  realExpiration,
  now,
  leaseMs = DEFAULT_LEASE_MS,
}: AdvertisedExpirationInput): Date {
  const lease = now + validateLeaseMs(leaseMs);
  if (realExpiration === undefined) return new Date(lease);
  return new Date(Math.min(realExpiration.getTime(), lease));
}
