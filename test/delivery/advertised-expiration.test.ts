import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advertisedExpiration,
  DEFAULT_LEASE_MS,
  SDK_REFRESH_WINDOW_MS,
} from '../../src/delivery/advertised-expiration.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

describe('advertisedExpiration', () => {
  it('advertises only the lease when the real expiry is far away', () => {
    const real = new Date(NOW + 3_600_000);
    expect(advertisedExpiration({ realExpiration: real, now: NOW, leaseMs: 30_000 }).getTime()).toBe(
      NOW + 30_000,
    );
  });

  it('uses a one-minute lease by default, inside the SDK 5-minute window', () => {
    expect(SDK_REFRESH_WINDOW_MS).toBe(300_000);
    expect(DEFAULT_LEASE_MS).toBe(60_000);
    expect(advertisedExpiration({ now: NOW }).getTime()).toBe(NOW + 60_000);
  });

  it('advertises the real expiry when it comes sooner than the lease', () => {
    const real = new Date(NOW + 30_000);
    expect(advertisedExpiration({ realExpiration: real, now: NOW, leaseMs: 60_000 })).toEqual(real);
  });

  it('gives credentials without an expiry (long-term keys) the same short lease', () => {
    expect(advertisedExpiration({ now: NOW, leaseMs: 1_000 }).getTime()).toBe(NOW + 1_000);
  });

  it('is never later than the real expiry and never later than now + lease', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        (offset, leaseMs) => {
          const real = new Date(NOW + offset);
          const advertised = advertisedExpiration({ realExpiration: real, now: NOW, leaseMs }).getTime();
          expect(advertised).toBeLessThanOrEqual(real.getTime());
          expect(advertised).toBeLessThanOrEqual(NOW + leaseMs);
          expect(advertised).toBe(Math.min(real.getTime(), NOW + leaseMs));
        },
      ),
    );
  });

  it('rejects a lease that is negative or not a number, naming the option', () => {
    expect(() => advertisedExpiration({ now: NOW, leaseMs: -1 })).toThrow(
      'Expected `leaseMs` to be a non-negative number of milliseconds, got `-1` (number).',
    );
    expect(() => advertisedExpiration({ now: NOW, leaseMs: Number.NaN })).toThrow(/got `NaN`/);
  });
});
