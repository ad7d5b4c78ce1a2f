import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One process seen in the process table. */
export interface ProcessInfo {
  pid: number;
  pgid: number;
  /** One-letter state as `ps`/`/proc` print it; `Z` is a zombie (dead, waiting to be reaped). */
  state: string;
  /** The command line, arguments joined by spaces (may be empty for kernel threads and zombies). */
  command: string;
}

/**
 * Parses `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may itself contain spaces
 * and parentheses, so the fields after it are read from the LAST `)`.
 */
export function parseProcStat(text: string): Pick<ProcessInfo, 'pid' | 'pgid' | 'state'> | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ")": state ppid pgrp ...
  const [state, , pgrp] = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const pgid = Number(pgrp);
  if (!Number.isInteger(pid) || !Number.isInteger(pgid) || !state) return undefined;
  return { pid, pgid, state };
}

/** Parses one line of `ps -A -o pid=,pgid=,stat=,command=`. */
export function parsePsLine(line: string): ProcessInfo | undefined {
  const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/.exec(line);
  if (!match) return undefined;
  return {
    pid: Number(match[1]),
    pgid: Number(match[2]),
    state: match[3]!.charAt(0),
    command: match[4] ?? '',
  };
}

function listFromProc(withCommand: boolean): ProcessInfo[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const processes: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (!stat) continue;
      const command = withCommand
        ? readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim()
        : '';
      processes.push({ ...stat, command });
    } catch {
      // The process exited between readdir and read: it is simply not there any more.
    }
  }
  return processes;
}

function listFromPs(): ProcessInfo[] | undefined {
  try {
    const output = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat=,command='], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
    return output
      .split('\n')
      .map(parsePsLine)
      .filter((info) => info !== undefined);
  } catch {
    return undefined;
  }
}

/**
 * Every process whose process group is `pgid`, or `undefined` when the process table cannot be read
 * (no `/proc` and no `ps`). Linux reads `/proc`; other systems ask `ps`. `withCommand: false` skips
 * reading command lines on Linux, for the frequent liveness polls that only need states.
 */
export function listProcessGroupMembers(
  pgid: number,
  { withCommand = true }: { withCommand?: boolean } = {},
): ProcessInfo[] | undefined {
  const all = process.platform === 'linux' ? listFromProc(withCommand) : listFromPs();
  return all?.filter((info) => info.pgid === pgid);
}

/** The process group of this process (Node has no `getpgrp()`), or `undefined` when it cannot be read. */
export function getOwnProcessGroupId(): number | undefined {
  if (process.platform === 'linux') {
    try {
      return parseProcStat(readFileSync('/proc/self/stat', 'utf8'))?.pgid;
    } catch {
      // fall through to ps
    }
  }
  try {
    const output = execFileSync('ps', ['-o', 'pgid=', '-p', String(process.pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
    const pgid = Number(output.trim());
    return Number.isInteger(pgid) && pgid > 0 ? pgid : undefined;
  } catch {
    return undefined;
  }
}
