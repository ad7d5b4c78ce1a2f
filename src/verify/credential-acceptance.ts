/**
 * May these verified credentials replace the ones a running command uses? The one rule `watch` (the
 * state machine) and `exec` (the refresher) both ask. Pure.
 *
 * - A command is only ever served the account it started with: a `cdk watch` that started against one
 *   account must never deploy to another because a file was rewritten mid-run. Another account is a
 *   verdict of its own, so `watch` can stop the child and ask the person, and `exec` can refuse.
 * - Credentials are usable while more than --stop-before is left: fresh ones that expire within
 *   --refresh-before still work for minutes, and throwing them away would stop a command for nothing.
 * - The same credentials read again, or ones a routine refresh finds that expire sooner than those in
 *   use, are not worth a switch, unless the ones in use are known broken (STS refused them before
 *   their stated expiry). What the person provided (a rewritten file, a reload) is their word: used.
 */

/** Credentials in use, or a verified candidate: facts only, never a secret. */
export interface CredentialFacts {
  /** Changes whenever the credentials do (see `fingerprintOf`). */
  fingerprint: string;
  account: string;
  /** Epoch ms; null for credentials without an expiration (long-term keys). */
  expiresAt: number | null;
}

export interface InUseCredentialFacts extends CredentialFacts {
  /** STS said the credentials in use no longer work (expired early, revoked). */
  broken: boolean;
}

export interface AcceptanceRules {
  /** Epoch ms. */
  now: number;
  /** --stop-before: credentials with this little time left cannot start or keep a command. */
  stopBeforeMs: number;
  /** An account the person confirmed switching to (the `r` key, `reload --accept-account`). */
  acceptedAccount?: string | null | undefined;
  /**
   * The person provided the candidate (rewrote the file, logged in, reloaded): it replaces the ones in
   * use even when it expires sooner. A routine refresh that finds nothing later keeps what is in use.
   */
  provided?: boolean;
}

export type Acceptance =
  | { verdict: 'replace' }
  | { verdict: 'same' }
  | { verdict: 'not-later' }
  | { verdict: 'too-short'; leftMs: number }
  | { verdict: 'other-account'; inUse: string; candidate: string };

/** The candidate runs out before the credentials in use: not worth a switch. */
export function expiresSooner(candidate: number | null, inUse: number | null): boolean {
  return candidate !== null && inUse !== null && candidate < inUse;
}

/** Whether credentials with this expiration may start (or keep) a command now. */
export function hasTimeLeft(expiresAt: number | null, rules: AcceptanceRules): boolean {
  return expiresAt === null || expiresAt - rules.now > rules.stopBeforeMs;
}

export type StartVerdict = Extract<Acceptance, { verdict: 'replace' | 'too-short' | 'other-account' }>;

/**
 * May these credentials (re)start the command? `lastAccount` is the account it last ran with (null
 * before the first start): a restart does not switch accounts without the person's word either.
 */
export function mayStart(
  lastAccount: string | null,
  candidate: CredentialFacts,
  rules: AcceptanceRules,
): StartVerdict {
  if (!hasTimeLeft(candidate.expiresAt, rules)) {
    return { verdict: 'too-short', leftMs: Math.max(0, (candidate.expiresAt ?? rules.now) - rules.now) };
  }
  if (
    lastAccount !== null &&
    candidate.account !== lastAccount &&
    candidate.account !== rules.acceptedAccount
  ) {
    return { verdict: 'other-account', inUse: lastAccount, candidate: candidate.account };
  }
  return { verdict: 'replace' };
}

/** May `candidate` replace the credentials a running command uses (`inUse`)? */
export function mayReplace(
  inUse: InUseCredentialFacts,
  candidate: CredentialFacts,
  rules: AcceptanceRules,
): Acceptance {
  if (candidate.fingerprint === inUse.fingerprint) return { verdict: 'same' };
  const start = mayStart(inUse.account, candidate, rules);
  if (start.verdict !== 'replace') return start;
  if (expiresSooner(candidate.expiresAt, inUse.expiresAt) && !inUse.broken && !rules.provided) {
    return { verdict: 'not-later' };
  }
  return { verdict: 'replace' };
}
