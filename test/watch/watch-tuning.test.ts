import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF_POLICY } from '../../src/supervisor/backoff.js';
import { backoffFromEnv, leaseMsFrom } from '../../src/watch/watch-tuning.js';

describe("watch's test-only knobs", () => {
  it('unset: the defaults', () => {
    expect(backoffFromEnv({})).toBeUndefined();
    expect(leaseMsFrom({ CRED_SUPERVISOR_LEASE_MS: '' })).toBeUndefined();
  });

  it('the backoff policy scales with its first delay', () => {
    const policy = backoffFromEnv({
      CRED_SUPERVISOR_BACKOFF_MS: String(DEFAULT_BACKOFF_POLICY.initialDelayMs / 10),
    });
    expect(policy?.initialDelayMs).toBe(DEFAULT_BACKOFF_POLICY.initialDelayMs / 10);
    expect(policy?.maxDelayMs).toBe(Math.round(DEFAULT_BACKOFF_POLICY.maxDelayMs / 10));
    expect(leaseMsFrom({ CRED_SUPERVISOR_LEASE_MS: '500' })).toBe(500);
  });

  it('anything but a positive whole number is refused, naming the variable and the way back', () => {
    expect(() => leaseMsFrom({ CRED_SUPERVISOR_LEASE_MS: '0' })).toThrow(
      /`CRED_SUPERVISOR_LEASE_MS`.*got `0`\. Unset it to use the default \(60000\)/,
    );
    expect(() => backoffFromEnv({ CRED_SUPERVISOR_BACKOFF_MS: '1.5' })).toThrow(
      /`CRED_SUPERVISOR_BACKOFF_MS`.*got `1\.5`/,
    );
  });
});
