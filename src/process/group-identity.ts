/**
 * Proof that a process group recorded earlier is still ours. A group's number is its leader's pid,
 * and pids are reused: once our child's group is gone, the same number can lead an unrelated
 * program's group on the same boot. So the leader's start time and command line are recorded when it
 * is spawned, and a group is ours only while its leader is that same process: same start time, same
 * command line. A group whose leader is gone cannot be proven ours and is left alone.
 */
import { type ProcessTable, processTable } from './process-table.js';

/** The group's leader as spawned: its start time (from the process table) and command line. */
export interface GroupLeaderIdentity {
  startTime: string;
  /**
   * The file and arguments it was spawned with, joined by spaces. The table's command line contains
   * them whether the kernel ran the file itself or, for a `#!/usr/bin/env node` script such as
   * `node_modules/.bin/cdk`, an interpreter with the script's path and arguments.
   */
  command: string;
}

/** The identity to record for a freshly spawned group leader; null when the table cannot say. */
export function identifyGroupLeader(
  pgid: number,
  spawned: readonly string[],
  table: ProcessTable = processTable(),
): GroupLeaderIdentity | null {
  const leader = table.read(pgid, { withCommand: false });
  if (!leader || leader.pgid !== pgid) return null;
  return { startTime: leader.startTime, command: spawned.join(' ') };
}

export type GroupProof = { ours: true } | { ours: false; reason: string };

/** Whether group `pgid` is still led by the process recorded as `recorded`. */
export function proveGroupOurs(
  pgid: number,
  recorded: GroupLeaderIdentity | null,
  table: ProcessTable = processTable(),
): GroupProof {
  if (!recorded) {
    return {
      ours: false,
      reason: `process group ${pgid} was recorded without its leader's start time and command line, so it cannot be proven ours.`,
    };
  }
  const leader = table.read(pgid);
  if (!leader || leader.state === 'Z') {
    return {
      ours: false,
      reason: `the leader of process group ${pgid} is gone, so the group cannot be proven ours (its id may have been reused).`,
    };
  }
  // Not naming what runs there now: another program's command line is not ours to print.
  if (leader.pgid !== pgid || leader.startTime !== recorded.startTime) {
    return {
      ours: false,
      reason: `process ${pgid} started at another time than the recorded child: its id was reused by another program.`,
    };
  }
  if (!leader.command.includes(recorded.command)) {
    return {
      ours: false,
      reason: `process ${pgid} no longer runs the recorded command line: its id was reused by another program.`,
    };
  }
  return { ours: true };
}
