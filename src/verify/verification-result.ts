/** What `verifyCredentials` answers: either the identity behind working credentials, or why not. */

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface VerifiedCredentials extends CallerIdentity {
  ok: true;
  /** The region the STS call was signed for. */
  region: string;
  /** `ASIA…` keys (with a session token) are temporary; `AKIA…` keys are long-term. */
  temporary: boolean;
  /** Root credentials are always refused, so a verified result is never root. */
  root: false;
  /** When the credentials stop working, if the source said. */
  expiresAt?: Date;
  /** `expiresAt` minus now, when the expiration is known. */
  timeLeftMs?: number;
}

/**
 * - `expired`: STS (or the known expiration) says so; never used for network trouble.
 * - `invalid`: STS does not accept the keys (revoked, deleted, mistyped, wrong secret or token).
 * - `missing`: there are no credentials to check.
 * - `network`: STS could not be reached or failed on its side (refused, DNS, timeout, 5xx, throttling).
 * - `root`: the account's root user: refused.
 * - `wrong-account`: working credentials for an account other than the expected one: refused.
 * - `clock-skew`: STS refused the request's signing time: this machine's clock is wrong, the keys may be fine.
 * - `error`: anything else (an endpoint that does not answer like STS, …).
 */
export type VerificationFailureReason =
  | 'expired'
  | 'invalid'
  | 'missing'
  | 'network'
  | 'root'
  | 'wrong-account'
  | 'clock-skew'
  | 'error';

export interface VerificationFailure {
  ok: false;
  reason: VerificationFailureReason;
  /** What went wrong, in one or two sentences; never contains a secret. */
  message: string;
  /** What to do about it, one sentence. */
  fix: string;
  region: string;
  /** The STS error code (`ExpiredToken`), the network error code (`ECONNREFUSED`) or the credential problem code. */
  code?: string;
  /** The HTTP status STS answered with, when it answered. */
  httpStatus?: number;
  /** Who the credentials belong to, when STS said (root and wrong-account refusals). */
  identity?: CallerIdentity;
}

export type VerificationResult = VerifiedCredentials | VerificationFailure;

/** Refusals are about who the credentials are for; the other failures about whether they work. */
export function isRefusal(failure: VerificationFailure): boolean {
  return failure.reason === 'root' || failure.reason === 'wrong-account';
}
