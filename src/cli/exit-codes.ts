import type { VerificationFailureReason } from '../verify/verification-result.js';

/** The exit codes docs/usage.md promises, shared by every command. */
export const ExitCode = {
  ok: 0,
  /** Anything that is not the person's credentials: STS unreachable included. */
  error: 1,
  usage: 2,
  /** Credentials missing, invalid or expired. */
  credentials: 3,
  /** Working credentials that are not allowed: root, another account. */
  refused: 4,
  /** Interrupted by a second Ctrl+C. */
  interrupted: 130,
} as const;

export function exitCodeForFailure(reason: VerificationFailureReason): number {
  switch (reason) {
    case 'expired':
    case 'invalid':
    case 'missing':
      return ExitCode.credentials;
    case 'root':
    case 'wrong-account':
      return ExitCode.refused;
    case 'network':
    case 'clock-skew':
    case 'error':
      return ExitCode.error;
  }
}
