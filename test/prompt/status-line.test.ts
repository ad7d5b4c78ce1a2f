import { describe, expect, it } from 'vitest';
import { describeExpiry, formatCountdown, formatStatusLine } from '../../src/prompt/status-line.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0);

describe('formatStatusLine', () => {
  it('state, account and time left', () => {
    expect(
      formatStatusLine({ state: 'running', account: '123456789012', expiresAt: NOW + 47 * 60_000, now: NOW }),
    ).toBe('[cred-supervisor] running · account 123456789012 · 47m left');
  });

  it('says when they expired', () => {
    expect(
      formatStatusLine({
        state: 'waiting-for-credentials',
        account: '123456789012',
        expiresAt: NOW - 185_000,
        now: NOW,
      }),
    ).toBe('[cred-supervisor] waiting-for-credentials · account 123456789012 · expired');
  });

  it('long-term keys have no expiry; no credentials yet shows only the state', () => {
    expect(formatStatusLine({ state: 'running', account: '1', expiresAt: null, now: NOW })).toMatch(
      /no expiry$/,
    );
    expect(formatStatusLine({ state: 'starting', now: NOW })).toBe('[cred-supervisor] starting');
  });

  it.each([-23 * 3_600_000, 23 * 3_600_000 + 59 * 60_000 + 59_000, 9 * 60_000 + 59_000])(
    'fits an 80-column terminal in the longest state (%i ms left)',
    (left) => {
      const line = formatStatusLine({
        state: 'waiting-for-credentials',
        account: '123456789012',
        expiresAt: NOW + left,
        now: NOW,
      });
      expect([...line].length).toBeLessThanOrEqual(80);
    },
  );
});

describe('formatCountdown', () => {
  it('to the second, with the refresh time', () => {
    expect(
      formatCountdown({
        expiresAt: NOW + 47 * 60_000 + 12_000,
        refreshBeforeMs: 600_000,
        now: NOW,
        timeZone: 'UTC',
      }),
    ).toBe('The credentials expire in 47m 12s (at 12:47); refresh at 12:37.');
  });

  it('inside the refresh window, expired, none, long-term', () => {
    expect(
      formatCountdown({ expiresAt: NOW + 60_000, refreshBeforeMs: 600_000, now: NOW, timeZone: 'UTC' }),
    ).toBe('The credentials expire in 1m (at 12:01); refresh is due now.');
    expect(formatCountdown({ expiresAt: NOW - 1000, refreshBeforeMs: 0, now: NOW, timeZone: 'UTC' })).toBe(
      'The credentials expired 1s ago (at 11:59).',
    );
    expect(formatCountdown({ expiresAt: undefined, refreshBeforeMs: 0, now: NOW })).toBe(
      'No verified credentials yet.',
    );
    expect(formatCountdown({ expiresAt: null, refreshBeforeMs: 0, now: NOW })).toMatch(/no expiration/);
  });
});

describe('temporary keys without a stated expiry', () => {
  it('the status line says "expiry unknown", not "no expiry"; long-term keys still "no expiry"', () => {
    const now = Date.UTC(2030, 0, 1, 12);
    expect(
      formatStatusLine({ state: 'running', account: '123456789012', expiresAt: null, temporary: true, now }),
    ).toBe('[cred-supervisor] running · account 123456789012 · expiry unknown');
    expect(formatStatusLine({ state: 'running', account: '123456789012', expiresAt: null, now })).toBe(
      '[cred-supervisor] running · account 123456789012 · no expiry',
    );
  });

  it('the countdown says how it finds out: probing STS every minute, or on the schedule given', () => {
    const now = Date.UTC(2030, 0, 1, 12);
    expect(formatCountdown({ expiresAt: null, temporary: true, refreshBeforeMs: 600_000, now })).toBe(
      'Expiry unknown: probing STS every minute (the source did not say when these temporary credentials expire).',
    );
    expect(
      formatCountdown({
        expiresAt: null,
        temporary: true,
        checkSchedule: '*/5 * * * *',
        refreshBeforeMs: 600_000,
        now,
      }),
    ).toBe(
      "Expiry unknown: probing STS on --check-schedule '*/5 * * * *' (the source did not say when these temporary credentials expire).",
    );
  });
});

describe('describeExpiry', () => {
  it('agrees with the clock after a resume: never "expire in 0ms"', () => {
    const at = Date.UTC(2030, 0, 1, 12, 0);
    expect(describeExpiry(at, at + 180_000, 'UTC')).toBe('expired 3m ago (at 12:00)');
    expect(describeExpiry(at, at - 200, 'UTC')).toBe('expire now (at 12:00)');
    expect(describeExpiry(at, at, 'UTC')).toBe('expire now (at 12:00)');
    expect(describeExpiry(at, at - 250_500, 'UTC')).toBe('expire in 4m 10s (at 12:00)');
  });
});
