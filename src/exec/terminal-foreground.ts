/**
 * Whether this process is in its terminal's foreground process group, i.e. whether a Ctrl+C typed in
 * the terminal reached us AND the command we run in the same group. Used so that Ctrl+C is not
 * delivered twice (once by the terminal, once forwarded): many programs treat a second SIGINT as
 * "exit now, skip the cleanup" (terraform, cdk's app, Python's KeyboardInterrupt in `finally`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface TerminalGroupFacts {
  /** Our process group. */
  pgrp: number;
  /** The controlling terminal's foreground process group; <= 0 when there is no terminal. */
  tpgid: number;
}

/**
 * Fields 5 (pgrp) and 8 (tpgid) of Linux's `/proc/<pid>/stat`. The command name (field 2) is in
 * parentheses and may contain spaces and `)`, so fields are counted from the LAST `)`.
 */
export function parseTerminalGroupFromStat(text: string): TerminalGroupFacts | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ")": state ppid pgrp session tty_nr tpgid ...
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const pgrp = Number(fields[2]);
  const tpgid = Number(fields[5]);
  if (!Number.isInteger(pgrp) || !Number.isInteger(tpgid)) return undefined;
  return { pgrp, tpgid };
}

/** One line of `ps -o pgid=,tpgid= -p PID`. */
export function parseTerminalGroupFromPs(line: string): TerminalGroupFacts | undefined {
  const match = /^\s*(\d+)\s+(-?\d+)\s*$/.exec(line);
  if (!match) return undefined;
  return { pgrp: Number(match[1]), tpgid: Number(match[2]) };
}

export function isForegroundGroup(facts: TerminalGroupFacts | undefined): boolean {
  return facts !== undefined && facts.tpgid > 0 && facts.tpgid === facts.pgrp;
}

function readTerminalGroup(): TerminalGroupFacts | undefined {
  if (process.platform === 'linux') {
    try {
      return parseTerminalGroupFromStat(readFileSync('/proc/self/stat', 'utf8'));
    } catch {
      // fall through to ps
    }
  }
  try {
    const output = execFileSync('ps', ['-o', 'pgid=,tpgid=', '-p', String(process.pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    });
    return parseTerminalGroupFromPs(output.trim());
  } catch {
    return undefined;
  }
}

/**
 * Asked when a signal arrives (the answer changes when a shell moves the job to the background).
 * Unknown counts as "not in the foreground": a doubled SIGINT is better than a lost one.
 */
export function isInTerminalForeground(): boolean {
  return isForegroundGroup(readTerminalGroup());
}
