import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkFlagValue, describeProblem } from '../../src/config/option-rules.js';
import { startCheckSchedule } from '../../src/supervisor/check-schedule.js';

describe('the schedule rule', () => {
  it.each(['61 * * * *', 'every minute', '* * *'])(
    'startCheckSchedule refuses %s with the option rule of --check-schedule, word for word',
    (expression) => {
      expect(() => startCheckSchedule(expression, () => {})).toThrow(
        `${describeProblem('checkSchedule', expression, true)}.`,
      );
    },
  );

  it.each(['* * * * *', '*/30 * * * * *', '0 */5 * * * *', '*/2 9-18 * * 1-5'])(
    'accepts %s',
    (expression) => {
      expect(() => checkFlagValue('checkSchedule', expression)).not.toThrow();
    },
  );
});

describe('startCheckSchedule (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-15T12:00:00.500Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks on every match of a seconds expression until stopped', async () => {
    const tick = vi.fn();
    const stop = startCheckSchedule('*/10 * * * * *', tick);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(tick).toHaveBeenCalledTimes(3);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tick).toHaveBeenCalledTimes(3);
  });

  it('a throwing tick is logged, not fatal, and the schedule goes on', async () => {
    const log = vi.fn();
    let calls = 0;
    const stop = startCheckSchedule(
      '* * * * * *',
      () => {
        calls++;
        throw new Error('probe exploded');
      },
      { log },
    );
    await vi.advanceTimersByTimeAsync(2_000);
    stop();
    expect(calls).toBe(2);
    expect(log).toHaveBeenCalledWith('error', 'probe exploded');
  });

  it('refuses a bad expression before scheduling anything', () => {
    expect(() => startCheckSchedule('nope', () => {})).toThrow(/--check-schedule/);
  });
});
