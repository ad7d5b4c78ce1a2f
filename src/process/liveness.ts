/**
 * Is it still there, and is it still the same one? Signal 0 answers "something with this number
 * exists"; the process table (process-table.ts) tells a zombie from the living and a recorded process
 * from a later one that reuses its number. The one liveness module: the child's stop, the lock, the
 * start-up clean-up, `stop` and `exec` all ask here.
 */
import fs from 'node:fs';
import os from 'node:os';
import { type ProcessInfo, type ProcessTable, processTable } from './process-table.js';

type Kill = (pid: number, signal: NodeJS.Signals | 0) => void;

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * `kill(target, 0)`: true when something answers. EPERM means it exists but belongs to someone else,
 * which is still "alive" for our purposes.
 */
function answersSignalZero(target: number, kill: Kill): boolean {
  try {
    kill(target, 0);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ESRCH') return false;
    if (errorCode(error) === 'EPERM') return true;
    throw error;
  }
}

const isDead = (info: ProcessInfo | undefined) => info?.state === 'Z' || info?.state === 'X';

/** Every process whose group is `pgid`, or undefined when the table cannot be read. */
export function listProcessGroupMembers(
  pgid: number,
  { withCommand = true, table = processTable() }: { withCommand?: boolean; table?: ProcessTable } = {},
): ProcessInfo[] | undefined {
  return table.list({ withCommand })?.filter((info) => info.pgid === pgid);
}

/** The process group of this process (Node has no `getpgrp()`), or undefined when it cannot be read. */
export function getOwnProcessGroupId(table: ProcessTable = processTable()): number | undefined {
  return table.read(process.pid, { withCommand: false })?.pgid;
}

export interface LivenessDeps {
  kill: Kill;
  /** Members of a group, or undefined when unknown. Only consulted to tell zombies from the living. */
  listMembers: (pgid: number) => { state: string }[] | undefined;
}

function defaultDeps(): LivenessDeps {
  const table = processTable();
  return {
    kill: (pid, signal) => process.kill(pid, signal),
    // Zombies linger where PID 1 reaps orphans late or never (Linux containers); only asked once
    // signal 0 says something is still there, so a gone group costs no table read.
    listMembers: (pgid) => listProcessGroupMembers(pgid, { withCommand: false, table }),
  };
}

/**
 * True when no living process is left in the group. `kill(-pgid, 0)` still succeeds while dead members
 * wait to be reaped (zombies), so a group of only zombies counts as gone: they cannot run, write or
 * hold anything but their pid.
 */
export function isProcessGroupGone(pgid: number, deps: LivenessDeps = defaultDeps()): boolean {
  if (!answersSignalZero(-pgid, deps.kill)) return true;
  const members = deps.listMembers(pgid);
  return members?.every((member) => member.state === 'Z') === true;
}

/** True when `pid` is not running (gone, or a zombie). */
export function isProcessGone(pid: number, kill: Kill = defaultDeps().kill): boolean {
  if (!answersSignalZero(pid, kill)) return true;
  return isDead(processTable().read(pid, { withCommand: false }));
}

/** Whether a process with this pid exists and is not a zombie waiting to be reaped. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return !isProcessGone(pid);
}

/** When `pid` started, in the process table's terms (see ProcessInfo.startTime); null where unknown. */
export function processStartTime(pid: number, table: ProcessTable = processTable()): string | null {
  return table.read(pid, { withCommand: false })?.startTime ?? null;
}

/** Identifies one boot of the machine, so a pid or pgid recorded before a reboot is not trusted. */
export interface BootIdentity {
  /** Linux's random boot id; null elsewhere. */
  bootId: string | null;
  /** When the machine booted (ms since epoch), from the uptime; precise to a few seconds. */
  bootTime: number;
}

export function currentBoot(): BootIdentity {
  let bootId: string | null = null;
  try {
    bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    // Not Linux: the boot time alone tells boots apart.
  }
  return { bootId, bootTime: Date.now() - os.uptime() * 1000 };
}

/** Boot times computed from uptime drift by rounding; reboots are at least this far apart. */
const BOOT_TIME_TOLERANCE_MS = 60_000;

export function isSameBoot(a: BootIdentity, b: BootIdentity): boolean {
  if (a.bootId !== null && b.bootId !== null) return a.bootId === b.bootId;
  return Math.abs(a.bootTime - b.bootTime) < BOOT_TIME_TOLERANCE_MS;
}

/** A process recorded at `startTime` during `boot` is still that same process. */
export function isRecordedProcessRunning(
  pid: number,
  recorded: { boot: BootIdentity; startTime: string | null },
): boolean {
  if (!isSameBoot(recorded.boot, currentBoot())) return false;
  if (!isProcessAlive(pid)) return false;
  const startTime = processStartTime(pid);
  return recorded.startTime === null || startTime === null || startTime === recorded.startTime;
}
