import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_BACKOFF_POLICY,
  NO_CRASHES,
  recordCrash,
} from '../../src/supervisor/backoff.js';

describe('backoffDelay', () => {
  it('doubles from 1s and caps at 30s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('never exceeds the cap and never shrinks, even for huge attempt counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
        const delay = backoffDelay(n);
        expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF_POLICY.maxDelayMs);
        expect(delay).toBeGreaterThanOrEqual(backoffDelay(Math.max(1, n - 1)));
      }),
    );
  });

  it('names a bad attempt number', () => {
    expect(() => backoffDelay(0)).toThrow('Expected `attempt` to be an integer >= 1, got `0`');
  });
});

describe('recordCrash', () => {
  const policy = { ...DEFAULT_BACKOFF_POLICY, maxCrashes: 3, crashWindowMs: 60_000, stableAfterMs: 10_000 };

  it('counts a streak of quick crashes and calls the third within the window a crash loop', () => {
    const first = recordCrash(NO_CRASHES, { now: 0, ranForMs: 100 }, policy);
    const second = recordCrash(first.history, { now: 5_000, ranForMs: 100 }, policy);
    const third = recordCrash(second.history, { now: 10_000, ranForMs: 100 }, policy);
    expect([first.delayMs, second.delayMs]).toEqual([1000, 2000]);
    expect([first.crashLoop, second.crashLoop, third.crashLoop]).toEqual([false, false, true]);
  });

  it('forgets crashes older than the window', () => {
    const a = recordCrash(NO_CRASHES, { now: 0, ranForMs: 100 }, policy);
    const b = recordCrash(a.history, { now: 30_000, ranForMs: 100 }, policy);
    const c = recordCrash(b.history, { now: 70_000, ranForMs: 100 }, policy);
    expect(c.history.times).toEqual([30_000, 70_000]);
    expect(c.crashLoop).toBe(false);
  });

  it('a stable run resets the streak to the first delay', () => {
    const a = recordCrash({ streak: 4, times: [] }, { now: 0, ranForMs: 10_000 }, policy);
    expect(a.history.streak).toBe(1);
    expect(a.delayMs).toBe(1000);
  });
});
