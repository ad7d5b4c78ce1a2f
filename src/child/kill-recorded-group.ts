import { type GroupLeaderIdentity, proveGroupOurs } from '../process/group-identity.js';
import { getOwnProcessGroupId, isProcessGroupGone } from '../process/liveness.js';
import type { ProcessTable } from '../process/process-table.js';
import { escalateGroupSignals, type StopResult } from './stop-process-group.js';

export type RecordedGroupOutcome =
  /** Nothing left of the group: nothing to do. */
  | { outcome: 'not-running' }
  /** The group exists but is not provably ours: left alone. */
  | { outcome: 'refused'; reason: string }
  | { outcome: 'stopped'; stop: StopResult };

export interface KillRecordedGroupOptions {
  /** Wait after SIGTERM before SIGKILL. Default 1000 ms. */
  terminateGraceMs?: number;
  /** Injected for tests (the `ps` backend on Linux, an unreadable table). */
  table?: ProcessTable;
  ownGroupId?: () => number | undefined;
}

/**
 * Cleans up a child process group recorded by a supervisor that died without stopping it (its state
 * file named the pgid and its leader's identity). It is an orphan with nobody reading its output, so
 * there is no graceful SIGINT phase: SIGTERM, then SIGKILL. Signals nothing unless the group's leader
 * is provably the recorded child (same start time and command line): a reused id is left alone. Never
 * signals pgid <= 1 or our own group.
 */
export async function killRecordedGroup(
  pgid: number,
  recorded: GroupLeaderIdentity | null,
  options: KillRecordedGroupOptions = {},
): Promise<RecordedGroupOutcome> {
  if (!Number.isInteger(pgid) || pgid <= 1) {
    return {
      outcome: 'refused',
      reason: `\`${String(pgid)}\` is not a process group id that may be signalled.`,
    };
  }
  const ownGroupId = (options.ownGroupId ?? getOwnProcessGroupId)();
  if (pgid === ownGroupId || pgid === process.pid) {
    return { outcome: 'refused', reason: `process group ${pgid} is cred-supervisor's own group.` };
  }
  if (isProcessGroupGone(pgid)) return { outcome: 'not-running' };
  const proof = proveGroupOurs(pgid, recorded, options.table);
  if (!proof.ours) return { outcome: 'refused', reason: proof.reason };
  const stop = await escalateGroupSignals(pgid, [
    { signal: 'SIGTERM', waitMs: options.terminateGraceMs ?? 1000 },
    { signal: 'SIGKILL', waitMs: 2000 },
  ]);
  return { outcome: 'stopped', stop };
}
