import fs from 'node:fs';
import path from 'node:path';
import { isInteger, isRecord, isStringOrNull, shape } from './shape.js';
import { STATE_RECORD_FILE } from './state-record-file.js';

/**
 * The supervisor's small state file in the state dir (mode 600): who holds the directory and which
 * process group its child runs in. It is what lets the next supervisor name a live holder, and
 * clean up the child group of a holder that was SIGKILLed. It never holds a secret.
 */
export { STATE_RECORD_FILE };

export interface StateRecord {
  version: 1;
  pid: number;
  /** /proc start ticks of `pid`, to tell it from a later process that reuses the pid. */
  pidStartTicks: string | null;
  childPgid: number | null;
  /** Start ticks of the group's leader (the child), to tell the group from a later one with its number. */
  childStartTicks: string | null;
  /** The leader's command line as the process table showed it at spawn (with the start time: proof). */
  childCommand?: string | null;
  /**
   * With several commands (`--procfile`), the groups of the children after the first (which is
   * `childPgid`), each with the same proof; absent for one command.
   */
  otherGroups?: { pgid: number; startTicks: string | null; command: string | null }[];
  socketPath: string | null;
  bootId: string | null;
  bootTime: number;
  startedAt: string;
  updatedAt: string;
}

const isPositiveInteger = (value: unknown): value is number => isInteger(value) && value > 0;

// Checked by hand (see shape.ts): `stop` and `status` read this record, and zod would be most of
// what they load.
const recordSchema = shape<StateRecord>((value) => {
  if (!isRecord(value) || value.version !== 1 || !isPositiveInteger(value.pid)) return undefined;
  const { pidStartTicks, childPgid, childStartTicks, childCommand, socketPath, bootId, bootTime } = value;
  const { startedAt, updatedAt } = value;
  const ok =
    [pidStartTicks, childStartTicks, socketPath, bootId].every(isStringOrNull) &&
    (childCommand === undefined || isStringOrNull(childCommand)) &&
    (childPgid === null || isPositiveInteger(childPgid)) &&
    typeof bootTime === 'number' &&
    typeof startedAt === 'string' &&
    typeof updatedAt === 'string';
  if (!ok) return undefined;
  const { otherGroups } = value;
  const isGroup = (g: unknown) =>
    isRecord(g) && isPositiveInteger(g.pgid) && isStringOrNull(g.startTicks) && isStringOrNull(g.command);
  if (otherGroups !== undefined && !(Array.isArray(otherGroups) && otherGroups.every(isGroup)))
    return undefined;
  return {
    version: 1,
    pid: value.pid,
    pidStartTicks: pidStartTicks as string | null,
    childPgid: childPgid as number | null,
    childStartTicks: childStartTicks as string | null,
    ...(childCommand === undefined ? {} : { childCommand: childCommand as string | null }),
    ...(otherGroups === undefined ? {} : { otherGroups: otherGroups as StateRecord['otherGroups'] }),
    socketPath: socketPath as string | null,
    bootId: bootId as string | null,
    bootTime,
    startedAt,
    updatedAt,
  };
});

export function stateRecordPath(stateDir: string): string {
  return path.join(stateDir, STATE_RECORD_FILE);
}

/** The record, or null when there is none or it is unreadable (a crash mid-write, a hand edit). */
export function readStateRecord(stateDir: string): StateRecord | null {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(fs.readFileSync(stateRecordPath(stateDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Replaces the record atomically (write a temporary file, then rename), synchronously so it can be
 * called right after a spawn and from exit handlers without interleaving.
 */
export function writeStateRecord(stateDir: string, record: StateRecord): void {
  const target = stateRecordPath(stateDir);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, target);
  } catch (error) {
    // A full disk leaves a truncated temporary file: never let it linger next to the record.
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // A read-only disk made nothing to remove.
    }
    throw error;
  }
}

export function removeStateRecord(stateDir: string): void {
  fs.rmSync(stateRecordPath(stateDir), { force: true });
}
