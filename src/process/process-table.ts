/**
 * The one place that reads the process table. Two backends answer the same questions: `/proc`
 * (Linux, cheap, no subprocess) and `ps` (macOS and the BSDs, where most CDK developers work). Both
 * run in tests on Linux: `CRED_SUPERVISOR_PROCESS_TABLE=ps` forces the `ps` one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** One process as the table shows it. */
export interface ProcessInfo {
  pid: number;
  pgid: number;
  /** One-letter state as `ps`/`/proc` print it; `Z` is a zombie (dead, waiting to be reaped). */
  state: string;
  /**
   * When the process started, in the backend's own terms (`/proc` clock ticks since boot, `ps`'s
   * `lstart`). Only compared for equality, and only with a value the same backend gave: two processes
   * that share a pid one after the other differ here.
   */
  startTime: string;
  /** The command line, arguments joined by spaces; empty when not asked for (or a kernel thread). */
  command: string;
}

/** The controlling terminal's foreground group next to the process's own group. */
export interface TerminalGroupFacts {
  pgrp: number;
  /** <= 0 when there is no controlling terminal. */
  tpgid: number;
}

export type ProcessTableBackend = 'proc' | 'ps';

export interface ProcessTable {
  readonly backend: ProcessTableBackend;
  /** One process, or undefined when it does not exist (or the table cannot be read). */
  read(pid: number, options?: { withCommand?: boolean }): ProcessInfo | undefined;
  /** Every process, or undefined when the table cannot be read. */
  list(options?: { withCommand?: boolean }): ProcessInfo[] | undefined;
  terminalGroup(pid: number): TerminalGroupFacts | undefined;
}

/** Test switch: the `ps` backend on a machine that has `/proc`. */
export const PROCESS_TABLE_VARIABLE = 'CRED_SUPERVISOR_PROCESS_TABLE';

/** The backend for this machine: `/proc` where present, else `ps`; the variable above overrides. */
export function chooseBackend(env: NodeJS.ProcessEnv = process.env): ProcessTableBackend {
  const forced = env[PROCESS_TABLE_VARIABLE];
  if (forced === 'ps' || forced === 'proc') return forced;
  return existsSync('/proc/self/stat') ? 'proc' : 'ps';
}

export function processTable(backend: ProcessTableBackend = chooseBackend()): ProcessTable {
  switch (backend) {
    case 'proc':
      return procTable;
    case 'ps':
      return psTable;
    default: {
      const unknown: never = backend;
      throw new Error(`Expected a process table backend "proc" or "ps", got \`${String(unknown)}\``);
    }
  }
}

// ---- /proc ----------------------------------------------------------------------------------------

/** The fields of /proc/<pid>/stat from field 3 (state) on: [state, ppid, pgrp, session, tty, tpgid, …]. */
function statFieldsAfterName(text: string): string[] | undefined {
  // The command name (field 2) is in parentheses and may itself contain spaces and `)`.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  return text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
}

/** Parses `/proc/<pid>/stat`. */
export function parseProcStat(text: string): Omit<ProcessInfo, 'command'> | undefined {
  const open = text.indexOf('(');
  const fields = statFieldsAfterName(text);
  if (open < 0 || !fields) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const [state, , pgrp] = fields;
  const pgid = Number(pgrp);
  // Field 22 (starttime), the 20th after the name.
  const startTime = fields[19];
  if (!Number.isInteger(pid) || !Number.isInteger(pgid) || !state || !startTime) return undefined;
  return { pid, pgid, state, startTime };
}

/** Fields 5 (pgrp) and 8 (tpgid) of `/proc/<pid>/stat`. */
export function parseTerminalGroupFromStat(text: string): TerminalGroupFacts | undefined {
  const fields = statFieldsAfterName(text);
  const pgrp = Number(fields?.[2]);
  const tpgid = Number(fields?.[5]);
  if (!fields || !Number.isInteger(pgrp) || !Number.isInteger(tpgid)) return undefined;
  return { pgrp, tpgid };
}

function readProcEntry(pid: number | 'self', withCommand: boolean): ProcessInfo | undefined {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (!stat) return undefined;
    const command = withCommand
      ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
      : '';
    return { ...stat, command };
  } catch {
    // Gone between readdir and read, or never there.
    return undefined;
  }
}

const procTable: ProcessTable = {
  backend: 'proc',
  read: (pid, { withCommand = true } = {}) =>
    Number.isInteger(pid) && pid > 0 ? readProcEntry(pid, withCommand) : undefined,
  list({ withCommand = true } = {}) {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return undefined;
    }
    const processes: ProcessInfo[] = [];
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const info = readProcEntry(Number(entry), withCommand);
      if (info) processes.push(info);
    }
    return processes;
  },
  terminalGroup(pid) {
    try {
      return parseTerminalGroupFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return undefined;
    }
  },
};

// ---- ps -------------------------------------------------------------------------------------------

/** `lstart` is five words (`Fri Dec  4 22:56:37 2026`) in the C locale, on procps and BSD ps alike. */
const PS_COLUMNS = 'pid=,pgid=,stat=,lstart=,command=';

/** Parses one line of `ps -o pid=,pgid=,stat=,lstart=,command=` (C locale). */
export function parsePsLine(line: string): ProcessInfo | undefined {
  const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)\s?(.*)$/.exec(line);
  if (!match) return undefined;
  return {
    pid: Number(match[1]),
    pgid: Number(match[2]),
    state: match[3]!.charAt(0),
    startTime: match[4]!.replace(/\s+/g, ' '),
    command: (match[5] ?? '').trim(),
  };
}

/** One line of `ps -o pgid=,tpgid=`. */
export function parseTerminalGroupFromPs(line: string): TerminalGroupFacts | undefined {
  const match = /^\s*(\d+)\s+(-?\d+)\s*$/.exec(line);
  if (!match) return undefined;
  return { pgrp: Number(match[1]), tpgid: Number(match[2]) };
}

function runPs(args: string[]): string | undefined {
  try {
    // Loaded here, not imported: node:child_process takes ~2 ms to load, and the tmux status segment
    // (cli/quick-status.ts) reads /proc through this module at every call.
    return process.getBuiltinModule('node:child_process').execFileSync('ps', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
      // The C locale fixes lstart's words; COLUMNS keeps procps from cutting command lines.
      env: { ...process.env, LC_ALL: 'C', COLUMNS: '100000' },
    });
  } catch {
    // Exit status 1 when `-p` names no process; ENOENT without ps.
    return undefined;
  }
}

function parsePsOutput(output: string | undefined): ProcessInfo[] | undefined {
  if (output === undefined) return undefined;
  return output
    .split('\n')
    .map(parsePsLine)
    .filter((info) => info !== undefined);
}

const psTable: ProcessTable = {
  backend: 'ps',
  read(pid) {
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return parsePsOutput(runPs(['-ww', '-o', PS_COLUMNS, '-p', String(pid)]))?.find((p) => p.pid === pid);
  },
  list: () => parsePsOutput(runPs(['-A', '-ww', '-o', PS_COLUMNS])),
  terminalGroup(pid) {
    const output = runPs(['-o', 'pgid=,tpgid=', '-p', String(pid)]);
    return output === undefined ? undefined : parseTerminalGroupFromPs(output.trim());
  },
};
