/**
 * Time, as the supervisor sees it: the wall clock that expirations are compared with, a monotonic
 * clock that never jumps, and timers. Everything time-dependent takes a `Clock`, so tests inject one
 * and a suspend/resume (wall time moves, monotonic time does not) can be played in a unit test.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface TimerApi {
  /** Wall-clock time, epoch ms. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Clock extends TimerApi {
  /** Milliseconds on a clock that only moves forward and ignores changes of the wall clock. */
  monotonic(): number;
}

// Looked up at call time so that fake timers installed by a test apply.
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * For tests only, honoured only with CRED_SUPERVISOR_TEST_HOOKS=1: a file holding a number of
 * milliseconds added to the wall clock (not to the monotonic one), re-read as it changes. Writing a
 * large number plays a suspend/resume to the running supervisor; SIGSTOP cannot (both clocks move).
 */
export const TEST_CLOCK_OFFSET_VARIABLE = 'CRED_SUPERVISOR_TEST_CLOCK_OFFSET_FILE';
export const TEST_HOOKS_VARIABLE = 'CRED_SUPERVISOR_TEST_HOOKS';

/** How often the offset file is re-read at most. */
const OFFSET_READ_INTERVAL_MS = 100;

export function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const file = env[TEST_HOOKS_VARIABLE] === '1' ? env[TEST_CLOCK_OFFSET_VARIABLE] : undefined;
  if (!file) return systemClock;
  let offset = 0;
  let readAt = Number.NEGATIVE_INFINITY;
  const currentOffset = () => {
    const mono = performance.now();
    if (mono - readAt >= OFFSET_READ_INTERVAL_MS) {
      readAt = mono;
      try {
        const value = Number(readFileSync(file, 'utf8').trim());
        if (Number.isFinite(value)) offset = value;
      } catch {
        // No file yet: no offset.
      }
    }
    return offset;
  };
  return { ...systemClock, now: () => Date.now() + currentOffset() };
}
