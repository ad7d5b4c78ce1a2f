/**
 * `exec`'s side of "may these credentials replace the ones in use": the rule itself is
 * `mayReplace` (verify/credential-acceptance.ts), shared with `watch`; this file only splits it around
 * the STS call (what can be decided before it, to spare a call) and words the verdicts. Pure.
 *
 * A command is only ever served the account it started with: `exec` cannot restart its command, so
 * fresher credentials for another account are refused, naming both accounts.
 */

import { formatDuration } from '../config/duration.js';
import type { CredentialSource } from '../credentials/types.js';
import { formatClock } from '../prompt/clock.js';
import { type AcceptanceRules, expiresSooner, mayReplace } from '../verify/credential-acceptance.js';
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
  if (expiresSooner(candidate.expiresAt ?? null, inUse.expiresAt ?? null)) {
    return {
      verdict: 'not-later',
      detail:
        `the credentials from ${where(candidate.source)} expire at ${formatClock(candidate.expiresAt!, timeZone)}, ` +
        'sooner than the ones in use',
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

/** After STS: the shared rule (`mayReplace`) on the verified candidate. */
export function judgeVerifiedCandidate(
  inUse: InUseFacts,
  candidate: CandidateFacts,
  result: VerificationResult,
  rules: AcceptanceRules,
): Verdict {
  const { source } = candidate;
  if (!result.ok) {
    return {
      fresher: false,
      detail: `the new credentials from ${where(source)} were refused: ${result.message}`,
    };
  }
  // The credentials file changes only when the person writes it: what they provided is used even if
  // it expires sooner (the same rule watch applies to an announced file).
  const provided = rules.provided ?? source.kind === 'file';
  const verdict = mayReplace(
    {
      fingerprint: inUse.fingerprint,
      account: inUse.account,
      expiresAt: inUse.expiresAt ?? null,
      broken: false,
    },
    { fingerprint: candidate.fingerprint, account: result.account, expiresAt: candidate.expiresAt ?? null },
    { ...rules, provided },
  );
  switch (verdict.verdict) {
    case 'replace':
      return { fresher: true };
    case 'other-account':
      return {
        fresher: false,
        detail:
          `the new credentials from ${where(source)} are for account ${verdict.candidate}, not ${verdict.inUse}, ` +
          'which the command started with',
      };
    case 'same':
      return { fresher: false, detail: unchangedDetail(source) };
    case 'not-later':
      return {
        fresher: false,
        detail: `the credentials from ${where(source)} expire sooner than the ones in use`,
      };
    case 'too-short':
      return {
        fresher: false,
        detail: `the credentials from ${where(source)} expire in ${formatDuration(verdict.leftMs)}, within --stop-before`,
      };
  }
}
