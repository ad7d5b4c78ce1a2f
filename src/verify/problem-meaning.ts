/**
 * What a credential source's problem means, decided once for every command: how `check` reports it
 * (its failure reason and so its exit code) and how `watch` treats it (a rejection reason: transient
 * ones are retried and never stop a child whose credentials still work). Pure; an exhaustive switch,
 * so a new problem code cannot be forgotten in one of the two.
 */
import type { CredentialProblemCode } from '../credentials/errors.js';
import type { RejectionReason } from '../supervisor/types.js';
import type { VerificationFailureReason } from './verification-result.js';

export interface ProblemMeaning {
  /** `check`'s failure reason. */
  failure: VerificationFailureReason;
  /** `watch`'s rejection reason. */
  rejection: RejectionReason;
}

export function problemMeaning(code: CredentialProblemCode): ProblemMeaning {
  switch (code) {
    case 'NOT_FOUND':
      return { failure: 'missing', rejection: 'missing' };
    case 'NOT_READY':
      return { failure: 'missing', rejection: 'not-ready' };
    case 'PROFILE_FAILED':
    case 'MFA_REQUIRED':
      return { failure: 'missing', rejection: 'profile-failed' };
    case 'SSO_EXPIRED':
      return { failure: 'expired', rejection: 'profile-failed' };
    case 'EXPIRED':
      return { failure: 'expired', rejection: 'expired' };
    case 'MALFORMED':
    case 'MISSING_FIELD':
    case 'NOT_A_FILE':
    case 'TOO_LARGE':
      return { failure: 'invalid', rejection: 'malformed' };
    case 'UNSAFE_PERMISSIONS':
    case 'TRACKED_BY_GIT':
      return { failure: 'invalid', rejection: 'unsafe' };
    // An assume-role or SSO profile whose STS or portal cannot be reached says nothing about the
    // credentials: retried, never "malformed", never a stop while the ones in use have time left.
    case 'NETWORK':
      return { failure: 'network', rejection: 'network' };
    default:
      return unknownCode(code);
  }
}

function unknownCode(code: never): never {
  throw new Error(`Expected a known credential problem code, got \`${String(code)}\``);
}

/** What a verification failure means for `watch` (STS's answer about resolved credentials). */
export function rejectionForFailure(reason: VerificationFailureReason): RejectionReason {
  switch (reason) {
    case 'expired':
    case 'invalid':
    case 'missing':
    case 'network':
    case 'root':
    case 'wrong-account':
    case 'clock-skew':
      return reason;
    // Anything else (an endpoint that does not answer like STS): retried like the network.
    case 'error':
      return 'network';
    default:
      return unknownReason(reason);
  }
}

function unknownReason(reason: never): never {
  throw new Error(`Expected a known verification failure reason, got \`${String(reason)}\``);
}
