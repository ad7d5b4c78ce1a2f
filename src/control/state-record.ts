import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The supervisor's small state file in the state dir (mode 600): who holds the directory and which
 * process group its child runs in. It is what lets the next supervisor name a live holder, and
 * clean up the child group of a holder that was SIGKILLed. It never holds a secret.
 */
export const STATE_RECORD_FILE = 'state.json';

const recordSchema = z.object({
  version: z.literal(1),
  pid: z.number().int().positive(),
  /** /proc start ticks of `pid`, to tell it from a later process that reuses the pid. */
  pidStartTicks: z.string().nullable(),
  childPgid: z.number().int().positive().nullable(),
  /** Start ticks of the group's leader (the child), to tell the group from a later one with its number. */
  childStartTicks: z.string().nullable(),
  socketPath: z.string().nullable(),
  bootId: z.string().nullable(),
  bootTime: z.number(),
  startedAt: z.string(),
  updatedAt: z.string(),
});

export type StateRecord = z.infer<typeof recordSchema>;

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
