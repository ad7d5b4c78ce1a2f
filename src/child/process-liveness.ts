import { readFileSync } from 'node:fs';
import { listProcessGroupMembers, parseProcStat } from './process-group-members.js';

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

function isZombie(pid: number): boolean {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state === 'Z';
  } catch {
    return false;
  }
}

export interface LivenessDeps {
  kill: Kill;
  /** Members of a group, or undefined when unknown. Only consulted to tell zombies from the living. */
  listMembers: (pgid: number) => { state: string }[] | undefined;
}

const defaultDeps: LivenessDeps = {
  kill: (pid, signal) => process.kill(pid, signal),
  // Zombies matter on Linux containers whose PID 1 reaps orphans late or never; elsewhere the init
  // process reaps promptly and spawning `ps` on every poll would cost more than it tells.
  listMembers: (pgid) =>
    process.platform === 'linux' ? listProcessGroupMembers(pgid, { withCommand: false }) : undefined,
};

/**
 * True when no living process is left in the group. `kill(-pgid, 0)` still succeeds while dead members
 * wait to be reaped (zombies), so on Linux a group of only zombies counts as gone: they cannot run,
 * write or hold anything but their pid.
 */
export function isProcessGroupGone(pgid: number, deps: LivenessDeps = defaultDeps): boolean {
  if (!answersSignalZero(-pgid, deps.kill)) return true;
  const members = deps.listMembers(pgid);
  return members?.every((member) => member.state === 'Z') === true;
}

/** True when `pid` is not running (gone, or a zombie on Linux). */
export function isProcessGone(pid: number, kill: Kill = defaultDeps.kill): boolean {
  if (!answersSignalZero(pid, kill)) return true;
  return process.platform === 'linux' && isZombie(pid);
}
