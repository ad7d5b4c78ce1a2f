import { getOwnProcessGroupId, listProcessGroupMembers, type ProcessInfo } from './process-group-members.js';
import { isProcessGroupGone } from './process-liveness.js';
import { escalateGroupSignals, type StopResult } from './stop-process-group.js';

export type RecordedGroupOutcome =
  /** Nothing left of the group: nothing to do. */
  | { outcome: 'not-running' }
  /** The group exists but is not provably ours: left alone. */
  | { outcome: 'refused'; reason: string }
  | { outcome: 'stopped'; stop: StopResult };

export interface KillRecordedGroupOptions {
  /**
   * Text that the command line of at least one living member must contain (e.g. the child's resolved
   * executable path, as recorded with the pgid). The pgid of a dead group can be reused by an
   * unrelated program; this is what tells them apart. Strongly advised.
   */
  expectCommand?: string;
  /** Wait after SIGTERM before SIGKILL. Default 1000 ms. */
  terminateGraceMs?: number;
  /** Injected for tests. */
  listMembers?: (pgid: number) => ProcessInfo[] | undefined;
  ownGroupId?: () => number | undefined;
}

/**
 * Cleans up a child process group recorded by a supervisor that died without stopping it (its state
 * file named the pgid). It is an orphan with nobody reading its output, so there is no graceful
 * SIGINT phase: SIGTERM, then SIGKILL. Never signals pgid <= 1 or our own group.
 */
export async function killRecordedGroup(
  pgid: number,
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

  if (options.expectCommand !== undefined) {
    const members = (options.listMembers ?? listProcessGroupMembers)(pgid);
    if (members === undefined) {
      return {
        outcome: 'refused',
        reason: `process group ${pgid} exists but its processes cannot be listed to check it is ours.`,
      };
    }
    const expected = options.expectCommand;
    const living = members.filter((member) => member.state !== 'Z');
    if (!living.some((member) => member.command.includes(expected))) {
      return {
        outcome: 'refused',
        // Not naming what runs there: another program's command line is not ours to print.
        reason: `process group ${pgid} no longer runs \`${expected}\` (its id was reused by another program).`,
      };
    }
  }

  const stop = await escalateGroupSignals(pgid, [
    { signal: 'SIGTERM', waitMs: options.terminateGraceMs ?? 1000 },
    { signal: 'SIGKILL', waitMs: 2000 },
  ]);
  return { outcome: 'stopped', stop };
}
