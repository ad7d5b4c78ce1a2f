import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/timers/clock.js';
import { clockSkew, watchClockJumps } from '../../src/timers/clock-jump.js';

/** A clock the test moves: `sleep` moves only the wall clock, `run` moves both and fires timers. */
function fakeClock() {
  let wall = Date.UTC(2026, 0, 15, 12);
  let mono = 1000;
  const timers = new Map<number, { at: number; callback: () => void }>();
  let nextId = 1;
  const clock: Clock = {
    now: () => wall,
    monotonic: () => mono,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: mono + ms, callback });
      return id;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  return {
    clock,
    pending: () => timers.size,
    sleep(ms: number) {
      wall += ms;
    },
    run(ms: number) {
      const end = mono + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        wall += due[1].at - mono;
        mono = due[1].at;
        due[1].callback();
      }
      wall += end - mono;
      mono = end;
    },
  };
}

describe('clockSkew', () => {
  it('is how far the wall clock moved beyond the monotonic one', () => {
    expect(clockSkew({ wall: 0, monotonic: 0 }, { wall: 10_000, monotonic: 500 })).toBe(9_500);
    expect(clockSkew({ wall: 0, monotonic: 0 }, { wall: 500, monotonic: 500 })).toBe(0);
    expect(clockSkew({ wall: 0, monotonic: 0 }, { wall: -4_500, monotonic: 500 })).toBe(-5_000);
  });
});

describe('watchClockJumps', () => {
  it('reports a suspend (wall time moves, monotonic does not) within 2 s, once', () => {
    const f = fakeClock();
    const jumps: number[] = [];
    const stop = watchClockJumps({ clock: f.clock, onJump: (skew) => jumps.push(skew) });
    f.run(5_000);
    expect(jumps).toEqual([]);
    f.sleep(3 * 3_600_000);
    f.run(2_000);
    expect(jumps).toHaveLength(1);
    expect(jumps[0]).toBeCloseTo(3 * 3_600_000, -3);
    f.run(10_000);
    expect(jumps).toHaveLength(1);
    stop();
    expect(f.pending()).toBe(0);
  });

  it('ignores drift below the threshold and reports a clock set back', () => {
    const f = fakeClock();
    const jumps: number[] = [];
    watchClockJumps({ clock: f.clock, onJump: (skew) => jumps.push(skew) });
    f.sleep(300);
    f.run(1_000);
    expect(jumps).toEqual([]);
    f.sleep(-60_000);
    f.run(1_000);
    expect(jumps).toEqual([-60_000]);
  });
});
