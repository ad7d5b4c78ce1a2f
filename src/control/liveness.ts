import fs from 'node:fs';
import os from 'node:os';

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

/**
 * When the process started, as Linux's /proc/<pid>/stat field 22 (clock ticks since boot); null
 * where unknown. Two processes that share a pid one after the other have different values, which is
 * how a recycled pid is told from the recorded process.
 */
export function processStartTicks(pid: number): string | null {
  const fields = readProcStatFields(pid);
  return fields?.[19] ?? null;
}

/** Whether a process with this pid exists and is not a zombie waiting to be reaped. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const state = readProcStatFields(pid)?.[0];
  return state !== 'Z' && state !== 'X';
}

/** A process recorded at `startTicks` during `boot` is still that same process. */
export function isRecordedProcessRunning(
  pid: number,
  recorded: { boot: BootIdentity; startTicks: string | null },
): boolean {
  if (!isSameBoot(recorded.boot, currentBoot())) return false;
  if (!isProcessAlive(pid)) return false;
  const startTicks = processStartTicks(pid);
  return recorded.startTicks === null || startTicks === null || startTicks === recorded.startTicks;
}

/** The fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, ...]. */
function readProcStatFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    return stat
      .slice(stat.lastIndexOf(')') + 2)
      .trim()
      .split(' ');
  } catch {
    return null;
  }
}
