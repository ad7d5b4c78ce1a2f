/**
 * The exit code `cred-supervisor exec` hands back for its command, as a shell would report it. Pure.
 */
import { constants } from 'node:os';
import type { ChildExit } from '../child/spawn-child.js';

/** A shell's code for "command not found". */
export const COMMAND_NOT_FOUND = 127;
/** A shell's code for "found but could not be run" (not executable). */
export const COMMAND_NOT_RUNNABLE = 126;

/** The command's own code, or 128 + the signal's number when a signal ended it (130 for SIGINT). */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.exitCode !== null) return exit.exitCode;
  if (exit.signal !== null) {
    const number = constants.signals[exit.signal] as number | undefined;
    if (number !== undefined) return 128 + number;
  }
  // Neither a code nor a known signal: Node reports this only for processes it could not follow.
  return 1;
}
