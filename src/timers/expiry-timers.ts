/**
 * When the --refresh-before warning and the expiry happen, as timer delays. The supervisor cannot wait
 * for the child to notice (`cdk watch` swallows deploy errors), so it keeps its own clock.
 */

import { systemClock, type TimerApi } from './clock.js';

export type { TimerApi } from './clock.js';

/** setTimeout's limit: a longer delay overflows and fires after 1 ms (with a TimeoutOverflowWarning). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface ExpiryPlan {
  /** Epoch ms of the --refresh-before warning and refresh attempt. */
  refreshAt: number;
  expiresAt: number;
}

export function planExpiry(expiresAt: number, refreshBeforeMs: number): ExpiryPlan {
  if (!Number.isFinite(expiresAt))
    throw new Error(`Expected \`expiresAt\` to be epoch ms, got \`${expiresAt}\``);
  if (!Number.isFinite(refreshBeforeMs) || refreshBeforeMs < 0) {
    throw new Error(`Expected \`refreshBeforeMs\` to be a non-negative number, got \`${refreshBeforeMs}\``);
  }
  return { refreshAt: expiresAt - refreshBeforeMs, expiresAt };
}

/** The setTimeout delay for something due at `dueAt`: never negative, never past the timer limit. */
export function timerDelay(dueAt: number, now: number): number {
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(0, dueAt - now));
}

const realTimers: TimerApi = systemClock;

/**
 * Calls `callback` once at `dueAt` (at once if past). A due time beyond the timer limit is reached in
 * hops: the timer re-arms until the clock says it is time. Returns a cancel function.
 */
export function armAt(dueAt: number, callback: () => void, timers: TimerApi = realTimers): () => void {
  let handle: unknown;
  let cancelled = false;
  const arm = () => {
    handle = timers.setTimeout(
      () => {
        if (cancelled) return;
        if (timers.now() < dueAt) arm();
        else callback();
      },
      timerDelay(dueAt, timers.now()),
    );
  };
  arm();
  return () => {
    cancelled = true;
    timers.clearTimeout(handle);
  };
}

export interface ExpiryTimerHandlers {
  expiresAt: number;
  refreshBeforeMs: number;
  onRefreshDue: (expiresAt: number) => void;
  /** --stop-before and its handler, when the caller stops something then (watch; exec does not). */
  stopBefore?: { ms: number; onStopDue: (expiresAt: number) => void };
  onExpired: (expiresAt: number) => void;
}

/** Arms both timers for one expiration (the `track-expiry` effect). Returns a function cancelling both. */
export function armExpiryTimers(handlers: ExpiryTimerHandlers, timers: TimerApi = realTimers): () => void {
  const { refreshAt, expiresAt } = planExpiry(handlers.expiresAt, handlers.refreshBeforeMs);
  const cancelRefresh = armAt(refreshAt, () => handlers.onRefreshDue(expiresAt), timers);
  const { stopBefore } = handlers;
  const cancelStop = stopBefore
    ? armAt(expiresAt - stopBefore.ms, () => stopBefore.onStopDue(expiresAt), timers)
    : () => {};
  const cancelExpired = armAt(expiresAt, () => handlers.onExpired(expiresAt), timers);
  return () => {
    cancelRefresh();
    cancelStop();
    cancelExpired();
  };
}
