/** How the supervisor paces restarts after crashes and retries after network failures. */
export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** A child that ran at least this long before crashing starts a new streak (back to initialDelayMs). */
  stableAfterMs: number;
  /** This many crashes within crashWindowMs is a crash loop: `fatal`, not a restart storm. */
  maxCrashes: number;
  crashWindowMs: number;
}

// 1s, 2s, 4s, 8s, 16s, 30s: quick enough for a flaky start, calm for a real outage. Five crashes in two
// minutes means the command is broken (bad arguments, a syntax error in the app), not unlucky.
export const DEFAULT_BACKOFF_POLICY: BackoffPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  factor: 2,
  stableAfterMs: 30_000,
  maxCrashes: 5,
  crashWindowMs: 120_000,
};

/** The delay before retry number `attempt` (1-based): initial × factor^(attempt−1), capped. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF_POLICY): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new Error(`Expected \`attempt\` to be an integer >= 1, got \`${attempt}\``);
  }
  // Capping the exponent first keeps huge attempt counts from overflowing to Infinity.
  const exponent = Math.min(attempt - 1, 64);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
}

export interface CrashHistory {
  /** Crashes in a row without a stable run in between: the backoff attempt number. */
  streak: number;
  /** When the recent crashes happened (epoch ms), oldest first, within crashWindowMs. */
  times: readonly number[];
}

export const NO_CRASHES: CrashHistory = { streak: 0, times: [] };

export interface CrashVerdict {
  history: CrashHistory;
  /** Too many crashes within the window: give up. */
  crashLoop: boolean;
  /** The restart delay when not a crash loop. */
  delayMs: number;
}

/** Records one crash of a child that ran for `ranForMs` and says whether and when to restart. */
export function recordCrash(
  history: CrashHistory,
  crash: { now: number; ranForMs: number },
  policy: BackoffPolicy = DEFAULT_BACKOFF_POLICY,
): CrashVerdict {
  const streak = crash.ranForMs >= policy.stableAfterMs ? 1 : history.streak + 1;
  const times = [...history.times.filter((t) => crash.now - t < policy.crashWindowMs), crash.now];
  return {
    history: { streak, times },
    crashLoop: times.length >= policy.maxCrashes,
    delayMs: backoffDelay(streak, policy),
  };
}
