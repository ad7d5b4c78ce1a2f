import { createHash } from 'node:crypto';

/** The share of corpus items that are held out: never looked at while the rules are tuned. */
export const HELD_OUT_SHARE = 0.3;

/**
 * Which split a corpus item belongs to, from the SHA-256 of its group (the undecorated line) alone: it
 * does not depend on the detector, and all decorated variants of one item land on the same side.
 */
export function splitOf(group) {
  const value = createHash('sha256').update(group).digest().readUInt32BE(0) / 2 ** 32;
  return value < HELD_OUT_SHARE ? 'heldout' : 'tune';
}
