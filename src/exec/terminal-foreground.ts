/**
 * Whether this process is in its terminal's foreground process group, i.e. whether a Ctrl+C typed in
 * the terminal reached us AND the command we run in the same group. Used so that Ctrl+C is not
 * delivered twice (once by the terminal, once forwarded): many programs treat a second SIGINT as
 * "exit now, skip the cleanup" (terraform, cdk's app, Python's KeyboardInterrupt in `finally`).
 */
import { processTable, type TerminalGroupFacts } from '../process/process-table.js';

export {
  parseTerminalGroupFromPs,
  parseTerminalGroupFromStat,
  type TerminalGroupFacts,
} from '../process/process-table.js';

export function isForegroundGroup(facts: TerminalGroupFacts | undefined): boolean {
  return facts !== undefined && facts.tpgid > 0 && facts.tpgid === facts.pgrp;
}

/**
 * Asked when a signal arrives (the answer changes when a shell moves the job to the background).
 * Unknown counts as "not in the foreground": a doubled SIGINT is better than a lost one.
 */
export function isInTerminalForeground(): boolean {
  return isForegroundGroup(processTable().terminalGroup(process.pid));
}
