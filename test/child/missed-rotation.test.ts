// The missed-rotation rule both the one-command slot and each Procfile child follow: when to look
// after a rotation, and which child counts as still on the previous key.
import { describe, expect, it } from 'vitest';
import {
  MISSED_ROTATION_GRACE_MS,
  MISSED_ROTATION_LEAD_MS,
  missedRotation,
  offeredKey,
  planRotationCheck,
} from '../../src/child/missed-rotation.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const OLD = { accessKeyId: 'ASIAOLD', expiresAt: NOW + 30 * 60_000 };
const NEW = { accessKeyId: 'ASIANEW', expiresAt: NOW + 60 * 60_000 };

describe('planRotationCheck', () => {
  it('looks just before the previous key expires', () => {
    expect(planRotationCheck(OLD, NEW, NOW)).toEqual({
      previousKeyId: 'ASIAOLD',
      checkAt: OLD.expiresAt - MISSED_ROTATION_LEAD_MS,
    });
  });

  it('but never sooner than the grace after the rotation, for the child to fetch again', () => {
    const soon = { ...OLD, expiresAt: NOW + 20_000 };
    expect(planRotationCheck(soon, NEW, NOW)?.checkAt).toBe(NOW + MISSED_ROTATION_GRACE_MS);
  });

  it('arms nothing for the first key, the same key again, or a previous key that never expires', () => {
    expect(planRotationCheck(undefined, NEW, NOW)).toBeUndefined();
    expect(planRotationCheck(NEW, { ...NEW }, NOW)).toBeUndefined();
    expect(planRotationCheck({ ...OLD, expiresAt: null }, NEW, NOW)).toBeUndefined();
  });
});

describe('missedRotation', () => {
  const check = { previousKeyId: 'ASIAOLD', checkAt: NOW };

  it('a running child whose last fetch was the previous key missed it', () => {
    expect(missedRotation(check, { running: true, lastFetched: 'ASIAOLD' })).toBe(true);
  });

  it('one that fetched the new key, never fetched, or no longer runs did not', () => {
    expect(missedRotation(check, { running: true, lastFetched: 'ASIANEW' })).toBe(false);
    expect(missedRotation(check, { running: true, lastFetched: undefined })).toBe(false);
    expect(missedRotation(check, { running: false, lastFetched: 'ASIAOLD' })).toBe(false);
  });
});

describe('offeredKey', () => {
  it('keeps the key id and the expiry, never the secret', () => {
    const key = offeredKey({
      accessKeyId: 'ASIAOLD',
      secretAccessKey: 'do-not-keep',
      expiration: new Date(OLD.expiresAt),
    } as { accessKeyId: string; expiration?: Date });
    expect(key).toEqual(OLD);
    expect(offeredKey({ accessKeyId: 'AKIALONG' })).toEqual({ accessKeyId: 'AKIALONG', expiresAt: null });
  });
});
