/**
 * What the process table says about a pid, read from /proc (these tests run on Linux): memory,
 * open descriptors, command line, environment, descendants. Used to check the supervisor from outside,
 * the way a person with `ps` and `top` would.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { isProcessGone, isProcessGroupGone } from '../../src/process/liveness.js';
import { parseProcStat } from '../../src/process/process-table.js';

/** Resident memory in KiB (`VmRSS` in /proc/<pid>/status), or undefined once the process is gone. */
export function residentKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Open file descriptors of `pid`, each as its link target (`pipe:[…]`, `socket:[…]`, a path). */
export function openDescriptors(pid: number): string[] {
  const dir = `/proc/${pid}/fd`;
  const targets: string[] = [];
  for (const fd of readdirSync(dir)) {
    try {
      targets.push(readlinkSync(`${dir}/${fd}`));
    } catch {
      // closed between the listing and the read
    }
  }
  return targets;
}

/** The raw bytes of /proc/<pid>/cmdline or environ (NUL-separated), or an empty buffer when gone. */
export function procBytes(pid: number, file: 'cmdline' | 'environ'): Buffer {
  try {
    return readFileSync(`/proc/${pid}/${file}`);
  } catch {
    return Buffer.alloc(0);
  }
}

interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
}

/** `/proc/<pid>/stat` → pid, parent pid and process group. Field 4 is the ppid. */
function readEntry(pid: number): ProcEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parsed = parseProcStat(stat);
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(afterName[1]);
    return parsed && Number.isInteger(ppid) ? { pid: parsed.pid, ppid, pgid: parsed.pgid } : undefined;
  } catch {
    return undefined;
  }
}

function allEntries(): ProcEntry[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readEntry(Number(name)))
    .filter((entry): entry is ProcEntry => entry !== undefined);
}

/** Every living descendant of `pid` (children, grandchildren, …), found through parent pids. */
export function descendants(pid: number): number[] {
  const entries = allEntries();
  const found: number[] = [];
  const queue = [pid];
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    for (const entry of entries) {
      if (entry.ppid === parent && !found.includes(entry.pid)) {
        found.push(entry.pid);
        queue.push(entry.pid);
      }
    }
  }
  return found.filter((p) => !isProcessGone(p));
}

/** Least-squares slope of `values` per step: a crude "is it still going up" for memory samples. */
export function slopePerStep(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

/** Whether any process of the group is still running (a zombie leader counts as gone). */
export function groupAlive(pgid: number): boolean {
  return !isProcessGroupGone(pgid);
}

/**
 * Live processes (not zombies) whose command line mentions `dir` or whose working directory is
 * inside it: what a test's temp project would leave behind.
 */
export function processesUnder(dir: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of allEntries()) {
    if (entry.pid === process.pid || isProcessGone(entry.pid)) continue;
    const cmdline = procBytes(entry.pid, 'cmdline').toString().replaceAll('\0', ' ').trim();
    let cwd = '';
    try {
      cwd = readlinkSync(`/proc/${entry.pid}/cwd`);
    } catch {
      // A process of another user, or one that just exited.
    }
    if (cmdline.includes(dir) || cwd === dir || cwd.startsWith(`${dir}${path.sep}`)) {
      found.push({ pid: entry.pid, cmdline });
    }
  }
  return found;
}
