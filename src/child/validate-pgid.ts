import { getOwnProcessGroupId } from '../process/liveness.js';

/**
 * Throws unless `pgid` is a group we may signal as a whole. `kill(-1)` signals every process we own
 * and `kill(-0)` our own group, and signalling our own group would stop the supervisor with its child,
 * so those are refused before any signal is sent.
 */
export function assertSignallableGroup(
  pgid: number,
  ownGroupId: number | undefined = getOwnProcessGroupId(),
): void {
  if (!Number.isInteger(pgid) || pgid <= 1) {
    throw new TypeError(
      `Expected a process group id to be an integer greater than 1, got \`${String(pgid)}\` (${typeof pgid}).`,
    );
  }
  if (pgid === ownGroupId || pgid === process.pid) {
    throw new Error(
      `Refusing to signal process group ${pgid}: it is cred-supervisor's own group. ` +
        'The child must run in its own group (spawned detached).',
    );
  }
}
