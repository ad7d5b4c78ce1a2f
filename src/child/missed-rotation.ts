/**
 * The missed-rotation rule, shared by the one-command slot and each child of a Procfile: after the
 * endpoint starts serving new credentials, a child that fetched the previous key and never asked
 * again (a CDK CLI before 2.172, or any client that resolves once) still signs with it, and fails
 * once it expires. So, just before it does, such a child is restarted. When to look and what counts
 * as "still on the previous key" are decided here alone.
 */

/** How long before the old credentials expire a child still on them is restarted. */
export const MISSED_ROTATION_LEAD_MS = 60_000;
/** At least this long after a rotation, for the child's SDK to fetch again (leases are short). */
export const MISSED_ROTATION_GRACE_MS = 5_000;

/** What the endpoint serves: the key id (not a secret) and when it expires (null: never). */
export interface OfferedKey {
  accessKeyId: string;
  expiresAt: number | null;
}

/** A check to run at `checkAt`: is a child still on `previousKeyId`? */
export interface RotationCheck {
  previousKeyId: string;
  checkAt: number;
}

export function offeredKey(credentials: { accessKeyId: string; expiration?: Date | undefined }): OfferedKey {
  return { accessKeyId: credentials.accessKeyId, expiresAt: credentials.expiration?.getTime() ?? null };
}

/**
 * Serving `next` where `previous` was: the check to arm, or undefined when nothing can be missed
 * (the first credentials, the same key again, or previous keys that never expire).
 */
export function planRotationCheck(
  previous: OfferedKey | undefined,
  next: OfferedKey,
  now: number,
): RotationCheck | undefined {
  if (!previous || previous.accessKeyId === next.accessKeyId || previous.expiresAt === null) return undefined;
  // Just before the old ones expire, but leaving the child a few fetches' time to move on.
  const checkAt = Math.max(previous.expiresAt - MISSED_ROTATION_LEAD_MS, now + MISSED_ROTATION_GRACE_MS);
  return { previousKeyId: previous.accessKeyId, checkAt };
}

/**
 * The child runs, fetched the previous key and nothing since: it never asked again after the
 * rotation. A child that never fetched at all holds no credentials that could expire.
 */
export function missedRotation(
  check: RotationCheck,
  child: { running: boolean; lastFetched: string | undefined },
): boolean {
  return child.running && child.lastFetched === check.previousKeyId;
}
