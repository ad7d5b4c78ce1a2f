/**
 * Whether credentials found while the command runs may replace the ones it is using. Pure.
 *
 * Only fresher credentials for the SAME account replace them: a deploy that started against one
 * account must never continue against another because a file was rewritten mid-run. "Fresher" means
 * a later expiration (or none, for long-term keys); the same credentials read again, or ones that
 * expire sooner, are not worth a switch.
 */

import type { CredentialSource } from '../credentials/types.js';
import { formatClock } from '../prompt/clock.js';
import type { VerificationResult } from '../verify/verification-result.js';

/** What is known about the credentials the command is being served (no secret). */
export interface InUseFacts {
  /** Changes whenever the credentials do (see `fingerprintOf`). */
  fingerprint: string;
  account: string;
  /** Epoch ms; undefined for credentials without an expiration. */
  expiresAt?: number | undefined;
}

export interface CandidateFacts {
  fingerprint: string;
  expiresAt?: number | undefined;
  source: CredentialSource;
}

export type Precheck = { verdict: 'verify' } | { verdict: 'unchanged' | 'not-later'; detail: string };

export type Verdict = { fresher: true } | { fresher: false; detail: string };

function where(source: CredentialSource): string {
  if (source.kind === 'file') return source.path ?? source.description;
  return source.description;
}

/** Before asking STS: the same credentials, or ones that do not live longer, need no call. */
export function precheckCandidate(inUse: InUseFacts, candidate: CandidateFacts, timeZone?: string): Precheck {
  if (candidate.fingerprint === inUse.fingerprint) {
    return { verdict: 'unchanged', detail: unchangedDetail(candidate.source) };
  }
  if (
    inUse.expiresAt !== undefined &&
    candidate.expiresAt !== undefined &&
    candidate.expiresAt <= inUse.expiresAt
  ) {
    return {
      verdict: 'not-later',
      detail:
        `the credentials from ${where(candidate.source)} expire at ${formatClock(candidate.expiresAt, timeZone)}, ` +
        'no later than the ones in use',
    };
  }
  return { verdict: 'verify' };
}

export function unchangedDetail(source: CredentialSource): string {
  switch (source.kind) {
    case 'file':
      return `${where(source)} still holds the credentials in use`;
    case 'profile':
      return `${source.description} still gives the credentials in use`;
    case 'env':
      return 'the credentials come from the environment, which cannot change while the command runs';
  }
}

/** After STS: verified, and for the account the command started with. */
export function judgeVerifiedCandidate(
  inUse: InUseFacts,
  source: CredentialSource,
  result: VerificationResult,
): Verdict {
  if (!result.ok) {
    return {
      fresher: false,
      detail: `the new credentials from ${where(source)} were refused: ${result.message}`,
    };
  }
  if (result.account !== inUse.account) {
    return {
      fresher: false,
      detail:
        `the new credentials from ${where(source)} are for account ${result.account}, not ${inUse.account}, ` +
        'which the command started with',
    };
  }
  return { fresher: true };
}
