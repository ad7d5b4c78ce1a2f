import { getOwnProcessGroupId, isProcessGroupGone } from '../process/liveness.js';
import { assertSignallableGroup } from './validate-pgid.js';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';

/** One step of an escalation: send `signal` to the group, then wait up to `waitMs` for it to empty. */
export interface EscalationStep {
  signal: StopSignal;
  waitMs: number;
}

export interface StopResult {
  /** Signals sent to the group, in order (SIGKILL once even if it was repeated). Empty: already gone. */
  signalsSent: StopSignal[];
  /** SIGKILL was needed. */
  forced: boolean;
  /** The group was confirmed empty (no living member) before we gave up. */
  groupEmpty: boolean;
  durationMs: number;
}

export interface StopDeps {
  /** `process.kill(-pgid, signal)`. */
  signalGroup: (pgid: number, signal: StopSignal) => void;
  isGroupGone: (pgid: number) => boolean;
  now: () => number;
  /** Resolves after `ms`, or early when `abort` fires. */
  sleep: (ms: number, abort?: AbortSignal) => Promise<void>;
  /** The supervisor's own process group, never signalled. */
  ownGroupId: () => number | undefined;
}

export interface EscalateOptions {
  /** How often to look whether the group is empty. Default 25 ms. */
  pollMs?: number;
  /** While SIGKILL has not emptied the group, send it again this often (a racing fork). Default 250 ms. */
  killRepeatMs?: number;
  /** When this aborts, the remaining waits are cut short and the group is SIGKILLed at once. */
  force?: AbortSignal;
  /** Told each time a step's signal is sent, so the person can be told what is happening. */
  onSignal?: (signal: StopSignal) => void;
  deps?: Partial<StopDeps>;
}

export interface StopProcessGroupOptions extends EscalateOptions {
  /** How long the group gets to exit after SIGINT. Default 5000 ms (`--stop-grace`). */
  graceMs?: number;
  /**
   * How long after SIGTERM before SIGKILL. Default min(graceMs, 1000): whatever is still alive after
   * SIGINT and the full grace is stubborn, and the CDK CLI dies within ~50 ms of SIGTERM.
   */
  terminateGraceMs?: number;
  /** How long to keep confirming (and re-sending SIGKILL) before reporting the group as not empty. */
  killWaitMs?: number;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function abortableSleep(ms: number, abort?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (abort?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      abort?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort?.addEventListener('abort', done, { once: true });
  });
}

const defaultDeps: StopDeps = {
  signalGroup: (pgid, signal) => process.kill(-pgid, signal),
  isGroupGone: (pgid) => isProcessGroupGone(pgid),
  now: () => performance.now(),
  sleep: abortableSleep,
  ownGroupId: getOwnProcessGroupId,
};

/** Validates the escalation steps: each wait a finite non-negative number of milliseconds. */
function validateSteps(steps: readonly EscalationStep[]): void {
  for (const step of steps) {
    if (!Number.isFinite(step.waitMs) || step.waitMs < 0) {
      throw new TypeError(
        `Expected the wait after ${step.signal} to be a non-negative number of milliseconds, got \`${String(step.waitMs)}\`.`,
      );
    }
  }
}

/**
 * Sends each step's signal to the whole process group and waits for the group to empty, escalating
 * until it does. The group, not the leader, is what is watched: the CDK CLI exits at once on SIGINT
 * while the CDK app it started (`sh -c` → `node`) lives on in the same group.
 */
export async function escalateGroupSignals(
  pgid: number,
  steps: readonly EscalationStep[],
  options: EscalateOptions = {},
): Promise<StopResult> {
  const deps: StopDeps = { ...defaultDeps, ...options.deps };
  assertSignallableGroup(pgid, deps.ownGroupId());
  validateSteps(steps);
  const pollMs = options.pollMs ?? 25;
  const killRepeatMs = options.killRepeatMs ?? 250;
  const force = options.force;
  const started = deps.now();
  const signalsSent: StopSignal[] = [];
  const finish = (groupEmpty: boolean): StopResult => ({
    signalsSent,
    forced: signalsSent.includes('SIGKILL'),
    groupEmpty,
    durationMs: Math.round(deps.now() - started),
  });

  // Returns false when the group is already gone, so nothing more needs sending.
  const send = (signal: StopSignal): boolean => {
    try {
      deps.signalGroup(pgid, signal);
    } catch (error) {
      if (errorCode(error) === 'ESRCH') return false;
      throw error;
    }
    if (signalsSent.at(-1) !== signal) {
      signalsSent.push(signal);
      options.onSignal?.(signal);
    }
    return true;
  };

  // Polls until the group is gone or `waitMs` passes. SIGKILL waits ignore `force` (nothing is
  // stronger) and re-send SIGKILL now and then in case a member forked while the first one landed.
  const waitForEmpty = async (waitMs: number, signal: StopSignal): Promise<boolean> => {
    const deadline = deps.now() + waitMs;
    let lastKill = deps.now();
    for (;;) {
      if (deps.isGroupGone(pgid)) return true;
      const now = deps.now();
      if (now >= deadline) return false;
      if (signal !== 'SIGKILL' && force?.aborted) return false;
      if (signal === 'SIGKILL' && now - lastKill >= killRepeatMs) {
        if (!send('SIGKILL')) return true;
        lastKill = now;
      }
      await deps.sleep(Math.min(pollMs, deadline - now), signal === 'SIGKILL' ? undefined : force);
    }
  };

  if (deps.isGroupGone(pgid)) return finish(true);
  for (const step of steps) {
    // A forced stop skips the gentle steps but still ends with SIGKILL.
    if (force?.aborted && step.signal !== 'SIGKILL') continue;
    if (!send(step.signal)) return finish(true);
    if (await waitForEmpty(step.waitMs, step.signal)) return finish(true);
  }
  return finish(deps.isGroupGone(pgid));
}

/**
 * Stops a child's whole process group: SIGINT (what Ctrl+C would send), then SIGTERM after the grace,
 * then SIGKILL; and only reports success once no living process is left in the group.
 */
export function stopProcessGroup(pgid: number, options: StopProcessGroupOptions = {}): Promise<StopResult> {
  const graceMs = options.graceMs ?? 5000;
  const terminateGraceMs = options.terminateGraceMs ?? Math.min(graceMs, 1000);
  const killWaitMs = options.killWaitMs ?? 2000;
  return escalateGroupSignals(
    pgid,
    [
      { signal: 'SIGINT', waitMs: graceMs },
      { signal: 'SIGTERM', waitMs: terminateGraceMs },
      { signal: 'SIGKILL', waitMs: killWaitMs },
    ],
    options,
  );
}
