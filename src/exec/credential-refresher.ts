/**
 * Refresh-ahead for `exec --delivery endpoint`: when the credentials the command is served come within
 * `--refresh-before` of their expiry, look for fresher ones (the file rewritten, the profile's SSO
 * session renewed, ...) and serve them; the command's SDK picks them up at its next fetch, without a
 * restart. When none can be had, say so ONCE (the command may well finish in time) and keep looking
 * every `retryMs`, so credentials the person writes after the warning are still picked up.
 *
 * Timers and I/O are injected: the decisions are in `refresh-judgement.ts`, this file only sequences
 * them.
 */
import { DEFAULT_STOP_BEFORE_MS } from '../config/options.js';
import { CredentialProblem } from '../credentials/errors.js';
import { fingerprintOf } from '../credentials/fingerprint.js';
import type { AwsCredentials, ResolvedCredentials } from '../credentials/types.js';
import { armExpiryTimers, type TimerApi } from '../timers/expiry-timers.js';
import type { VerificationResult } from '../verify/verification-result.js';
import { type InUseFacts, judgeVerifiedCandidate, precheckCandidate } from './refresh-judgement.js';

/** How often to look again once refreshing is due and has not worked yet. */
export const DEFAULT_RETRY_MS = 3_000;

export interface InUseCredentials {
  resolved: ResolvedCredentials;
  /** The account STS said they belong to. */
  account: string;
}

export type RefreshEvent =
  /** Fresher credentials are now served. */
  | { kind: 'refreshed'; resolved: ResolvedCredentials; account: string }
  /** Refreshing is due and nothing fresher could be had: sent once per set of credentials in use. */
  | { kind: 'cannot-refresh'; expiresAt: number; detail: string }
  /** After that warning: new credentials were found but cannot be used (each new reason once). */
  | { kind: 'candidate-refused'; detail: string }
  /** The credentials in use have expired and nothing replaced them. */
  | { kind: 'expired'; expiresAt: number }
  /** Any attempt that did not refresh, for the log. */
  | { kind: 'attempt-failed'; detail: string };

export interface CredentialRefresherOptions {
  inUse: InUseCredentials;
  refreshBeforeMs: number;
  /** Candidates with this little time left are not worth serving (default 1m). */
  stopBeforeMs?: number;
  retryMs?: number;
  /** Reads the credential sources again (no MFA prompt: the command owns the terminal). */
  resolve: () => Promise<ResolvedCredentials>;
  verify: (credentials: AwsCredentials) => Promise<VerificationResult>;
  /** Hands credentials to the command (the endpoint's `serve`). */
  serve: (credentials: AwsCredentials) => void;
  onEvent: (event: RefreshEvent) => void;
  timers?: TimerApi;
  timeZone?: string;
}

export interface CredentialRefresher {
  /** Cancels every timer; an attempt in flight is ignored when it ends. */
  stop(): void;
  /** Settles when no attempt is in flight (for tests). */
  idle(): Promise<void>;
}

type Attempt =
  | { fresher: true; resolved: ResolvedCredentials; account: string }
  | { fresher: false; detail: string; tell: boolean };

const realTimers: TimerApi = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function factsOf(inUse: InUseCredentials): InUseFacts {
  return {
    fingerprint: fingerprintOf(inUse.resolved),
    account: inUse.account,
    expiresAt: inUse.resolved.credentials.expiration?.getTime(),
  };
}

function problemText(error: unknown): string {
  if (error instanceof CredentialProblem) return error.problem;
  return `reading the credentials failed: ${error instanceof Error ? error.message : String(error)}`;
}

export function startCredentialRefresher(options: CredentialRefresherOptions): CredentialRefresher {
  const timers = options.timers ?? realTimers;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  let inUse = factsOf(options.inUse);
  let cancelExpiryTimers = () => {};
  let retry: unknown;
  let running: Promise<void> | undefined;
  let stopped = false;
  let warned = false;
  let lastDetail: string | undefined;
  // A candidate STS refused is not sent again until it changes (no STS call every retry).
  let refused: { fingerprint: string; detail: string } | undefined;

  const track = () => {
    cancelExpiryTimers();
    const expiresAt = inUse.expiresAt;
    if (expiresAt === undefined) return; // long-term keys: nothing to refresh ahead of
    cancelExpiryTimers = armExpiryTimers(
      {
        expiresAt,
        refreshBeforeMs: options.refreshBeforeMs,
        onRefreshDue: () => attempt(),
        onExpired: (at) => {
          if (!stopped) options.onEvent({ kind: 'expired', expiresAt: at });
        },
      },
      timers,
    );
  };

  const tryCandidate = async (): Promise<Attempt> => {
    let resolved: ResolvedCredentials;
    try {
      resolved = await options.resolve();
    } catch (error) {
      // A half-written file is the writer's business for another moment, not news.
      const transient = error instanceof CredentialProblem && error.code === 'NOT_READY';
      return { fresher: false, detail: problemText(error), tell: !transient };
    }
    const fingerprint = fingerprintOf(resolved);
    const { source } = resolved;
    const precheck = precheckCandidate(
      inUse,
      { fingerprint, expiresAt: resolved.credentials.expiration?.getTime(), source },
      options.timeZone,
    );
    if (precheck.verdict === 'unchanged') return { fresher: false, detail: precheck.detail, tell: false };
    if (precheck.verdict === 'not-later') return { fresher: false, detail: precheck.detail, tell: true };
    if (refused?.fingerprint === fingerprint) return { fresher: false, detail: refused.detail, tell: true };

    const result = await options.verify(resolved.credentials);
    const candidate = { fingerprint, expiresAt: resolved.credentials.expiration?.getTime(), source };
    const verdict = judgeVerifiedCandidate(inUse, candidate, result, {
      now: timers.now(),
      stopBeforeMs: options.stopBeforeMs ?? DEFAULT_STOP_BEFORE_MS,
    });
    if (verdict.fresher && result.ok) return { fresher: true, resolved, account: result.account };
    const detail = verdict.fresher ? 'verification failed' : verdict.detail;
    // STS unreachable says nothing about the credentials: ask again next time.
    const networkTrouble = !result.ok && (result.reason === 'network' || result.reason === 'error');
    if (!networkTrouble) refused = { fingerprint, detail };
    return { fresher: false, detail, tell: true };
  };

  const once = async (): Promise<void> => {
    const outcome = await tryCandidate();
    if (stopped) return;
    if (outcome.fresher) {
      options.serve(outcome.resolved.credentials);
      inUse = factsOf(outcome);
      warned = false;
      lastDetail = undefined;
      refused = undefined;
      options.onEvent({ kind: 'refreshed', resolved: outcome.resolved, account: outcome.account });
      track();
      return;
    }
    options.onEvent({ kind: 'attempt-failed', detail: outcome.detail });
    if (!warned) {
      warned = true;
      options.onEvent({
        kind: 'cannot-refresh',
        expiresAt: inUse.expiresAt ?? timers.now(),
        detail: outcome.detail,
      });
    } else if (outcome.tell && outcome.detail !== lastDetail) {
      options.onEvent({ kind: 'candidate-refused', detail: outcome.detail });
    }
    lastDetail = outcome.detail;
    retry = timers.setTimeout(attempt, retryMs);
  };

  function attempt(): void {
    if (stopped || running) return;
    retry = undefined;
    running = once()
      .catch((error: unknown) => {
        // Never expected (tryCandidate catches what the sources throw); keep refreshing regardless.
        options.onEvent({ kind: 'attempt-failed', detail: problemText(error) });
        if (!stopped) retry = timers.setTimeout(attempt, retryMs);
      })
      .finally(() => {
        running = undefined;
      });
  }

  track();
  return {
    stop() {
      stopped = true;
      cancelExpiryTimers();
      if (retry !== undefined) timers.clearTimeout(retry);
    },
    idle: () => running ?? Promise.resolve(),
  };
}
