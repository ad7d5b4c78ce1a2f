/**
 * Whether a failed control request met a supervisor on its way out: it hung up without answering,
 * or its socket is already gone while its recorded process still runs. Two `cred-supervisor stop`s
 * at once (or `stop` right after Ctrl+C) meet one that way; for them the stop is under way, not failed.
 */
import { ControlError } from './errors.js';
import { isRecordedProcessRunning } from './liveness.js';
import { readStateRecord } from './state-record.js';

export interface StoppingSupervisor {
  /** Null when it has already removed its record (its very last step). */
  pid: number | null;
  /** Still running; false once it is gone. */
  isRunning(): boolean;
}

export function alreadyStopping(stateDir: string, error: unknown): StoppingSupervisor | null {
  if (!(error instanceof ControlError)) return null;
  if (error.code !== 'STOPPING' && error.code !== 'NO_SUPERVISOR') return null;
  const record = readStateRecord(stateDir);
  const hungUp = error.code === 'STOPPING';
  if (!record) return hungUp ? { pid: null, isRunning: () => false } : null;
  // A supervisor still starting has not recorded a socket yet: no socket then is not a shutdown.
  if (!hungUp && record.socketPath === null) return null;
  const recorded = {
    boot: { bootId: record.bootId, bootTime: record.bootTime },
    startTicks: record.pidStartTicks,
  };
  const isRunning = () => isRecordedProcessRunning(record.pid, recorded);
  if (isRunning()) return { pid: record.pid, isRunning };
  return hungUp ? { pid: null, isRunning: () => false } : null;
}
