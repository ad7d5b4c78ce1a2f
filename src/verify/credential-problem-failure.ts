/**
 * A credential source that could not give credentials (a `CredentialProblem`) as a verification
 * failure, so `check`'s checklist, JSON and exit code treat it like any other. Pure.
 */
import { CredentialProblem } from '../credentials/errors.js';
import { problemMeaning } from './problem-meaning.js';
import type { VerificationFailure } from './verification-result.js';

/** `CredentialProblem` puts the fix at the end of its message; the checklist shows them apart. */
function problemText(problem: CredentialProblem): string {
  if (problem.fix && problem.message.endsWith(problem.fix)) {
    return problem.message.slice(0, -problem.fix.length).trimEnd();
  }
  return problem.message;
}

export function failureFromResolveError(error: unknown, region: string): VerificationFailure {
  if (error instanceof CredentialProblem) {
    return {
      ok: false,
      reason: problemMeaning(error.code).failure,
      code: error.code,
      region,
      message: problemText(error),
      fix: error.fix ?? 'Provide credentials in one of the ways below.',
    };
  }
  return {
    ok: false,
    reason: 'error',
    code: error instanceof Error ? error.name : 'Error',
    region,
    message: `Reading the credentials failed: ${error instanceof Error ? error.message : String(error)}`,
    fix: 'Try again; if it persists, run with --log-level debug and report the message.',
  };
}
