// The demo's third act shows a revoked key found from the program's own error line. Its probe runs
// every 5 s on the wall clock, so the key is revoked only well clear of a tick (a CI run once saw the
// probe win the race, and the demo's narration and test both assumed the error line).
import { describe, expect, it } from 'vitest';
import { msUntilFarFromProbe } from '../../src/demo/run-demo.js';

describe('msUntilFarFromProbe', () => {
  it.each([
    [0, 500],
    [499, 1],
    [500, 0],
    [2499, 0],
    [2500, 3000],
    [4999, 501],
  ])('%i ms after a tick: wait %i ms', (phase, wait) => {
    const tick = 1_764_900_000_000; // a multiple of 5 s
    expect(msUntilFarFromProbe(tick + phase)).toBe(wait);
    // Once waited, the revocation lands in the quiet window.
    expect(msUntilFarFromProbe(tick + phase + wait)).toBe(0);
  });
});
