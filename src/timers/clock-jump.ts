/**
 * Notices the wall clock jumping against the monotonic one: a laptop resumed from sleep (on Linux
 * the monotonic clock stops while suspended), or the time was set (NTP, by hand). Timers armed for an
 * expiration then fire late or not at all, so the supervisor must re-check at once.
 */
import type { Clock } from './clock.js';

export interface ClockReading {
  wall: number;
  monotonic: number;
}

export function readClock(clock: Clock): ClockReading {
  return { wall: clock.now(), monotonic: clock.monotonic() };
}

/** How far the wall clock moved beyond (positive) or short of (negative) the monotonic clock. */
export function clockSkew(before: ClockReading, after: ClockReading): number {
  return after.wall - before.wall - (after.monotonic - before.monotonic);
}

export interface ClockJumpWatchOptions {
  clock: Clock;
  onJump: (skewMs: number) => void;
  /** How often the clocks are compared (default 500 ms: a jump is noticed well within 2 s). */
  intervalMs?: number;
  /** Skews smaller than this are drift or a busy event loop, not a jump (default 1 s). */
  thresholdMs?: number;
}

/** Compares the clocks every `intervalMs` until the returned function is called. */
export function watchClockJumps(options: ClockJumpWatchOptions): () => void {
  const { clock, onJump } = options;
  const intervalMs = options.intervalMs ?? 500;
  const thresholdMs = options.thresholdMs ?? 1000;
  let last = readClock(clock);
  let handle: unknown;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const now = readClock(clock);
    const skew = clockSkew(last, now);
    last = now;
    arm();
    if (Math.abs(skew) >= thresholdMs) onJump(skew);
  };
  const arm = () => {
    handle = clock.setTimeout(tick, intervalMs);
    // Never the reason the process stays alive.
    (handle as { unref?: () => void } | undefined)?.unref?.();
  };
  arm();
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}
