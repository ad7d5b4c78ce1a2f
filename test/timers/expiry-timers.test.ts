import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  armAt,
  armExpiryTimers,
  MAX_TIMER_DELAY_MS,
  planExpiry,
  timerDelay,
} from '../../src/timers/expiry-timers.js';

const DAY = 86_400_000;

describe('planExpiry / timerDelay', () => {
  it('refresh is due refresh-before ahead of expiry', () => {
    expect(planExpiry(10_000_000, 600_000)).toEqual({ refreshAt: 9_400_000, expiresAt: 10_000_000 });
  });

  it('rejects nonsense with the value named', () => {
    expect(() => planExpiry(Number.NaN, 0)).toThrow('Expected `expiresAt` to be epoch ms, got `NaN`');
    expect(() => planExpiry(0, -1)).toThrow('got `-1`');
  });

  it('clamps to [0, 2^31-1]', () => {
    expect(timerDelay(100, 500)).toBe(0);
    expect(timerDelay(1500, 500)).toBe(1000);
    expect(timerDelay(60 * DAY, 0)).toBe(MAX_TIMER_DELAY_MS);
    expect(MAX_TIMER_DELAY_MS).toBe(2147483647);
  });
});

describe('armExpiryTimers (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires refresh-due then expired, each once, at their times', () => {
    const calls: string[] = [];
    armExpiryTimers({
      expiresAt: 3_600_000,
      refreshBeforeMs: 600_000,
      onRefreshDue: (at) => calls.push(`refresh:${at}@${Date.now()}`),
      onExpired: (at) => calls.push(`expired:${at}@${Date.now()}`),
    });
    vi.advanceTimersByTime(2_999_999);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['refresh:3600000@3000000']);
    vi.advanceTimersByTime(10 * 3_600_000);
    expect(calls).toEqual(['refresh:3600000@3000000', 'expired:3600000@3600000']);
  });

  it('a refresh time already passed fires at once', () => {
    const refresh = vi.fn();
    armExpiryTimers({
      expiresAt: 300_000,
      refreshBeforeMs: 600_000,
      onRefreshDue: refresh,
      onExpired: () => {},
    });
    vi.advanceTimersByTime(0);
    expect(refresh).toHaveBeenCalledOnce();
  });

  it('cancel stops both', () => {
    const refresh = vi.fn();
    const expired = vi.fn();
    const cancel = armExpiryTimers({
      expiresAt: 1000,
      refreshBeforeMs: 500,
      onRefreshDue: refresh,
      onExpired: expired,
    });
    cancel();
    vi.advanceTimersByTime(5000);
    expect(refresh).not.toHaveBeenCalled();
    expect(expired).not.toHaveBeenCalled();
  });

  it('an expiry 40 days away is reached in hops, not fired early by the timer overflow', () => {
    const fired = vi.fn();
    armAt(40 * DAY, fired);
    vi.advanceTimersByTime(39 * DAY);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DAY);
    expect(fired).toHaveBeenCalledOnce();
    expect(Date.now()).toBe(40 * DAY);
  });
});
