import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
  ])('%s -> %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('names the option and the bad value', () => {
    expect(() => parseDuration('10 minutes', '--refresh-before')).toThrow(
      /`--refresh-before`.*got `10 minutes`/,
    );
  });
});

describe('formatDuration', () => {
  it('is short', () => {
    expect(formatDuration(3_900_000)).toBe('1h 5m');
    expect(formatDuration(252_000)).toBe('4m 12s');
    expect(formatDuration(800)).toBe('800ms');
  });
});
