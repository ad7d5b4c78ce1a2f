import { type Step, stay, stopChild } from './steps.js';
import type { SupervisorState, WaitReason } from './types.js';

/** One line for `lastError` and the log: what happened, without the how-to of the prompt. */
export function summarizeWaitReason(reason: WaitReason): string {
  switch (reason.kind) {
    case 'missing':
    case 'rejected':
      return reason.detail;
    case 'expiring':
      return `Credentials reach --refresh-before and no fresh ones could be had: ${reason.detail}`;
    case 'expired':
      return reason.detail ? `Credentials expired: ${reason.detail}` : 'Credentials expired.';
    case 'revoked':
      return reason.detail
        ? `Credentials were rejected by STS: ${reason.detail}`
        : 'Credentials were rejected by STS.';
  }
}

/**
 * Credentials are needed. A running child is stopped first, so it does not go on failing silently; the
 * prompt and the notification come once it is gone (the `wait` plan), so its last lines cannot bury them.
 */
export function needCredentials(state: SupervisorState, reason: WaitReason): Step {
  const lastError = summarizeWaitReason(reason);
  const child = state.child;
  if (child && child.phase !== 'stopping') {
    const stopping = stopChild(
      { ...state, status: 'waiting-for-credentials', lastError, child: { ...child, tainted: true } },
      'credentials-needed',
      { kind: 'wait', reason },
    );
    stopping.effects.push({
      type: 'print',
      level: 'warn',
      // The reason is said once, in the prompt that follows when the command has stopped (and logged).
      message: 'Stopping the command until fresh credentials are verified.',
    });
    return stopping;
  }
  if (child?.phase === 'stopping') {
    // Already on its way out: a shutdown or a crash keeps its plan; a restart now has nothing to use.
    if (child.afterStop.kind !== 'restart' && child.afterStop.kind !== 'wait')
      return stay({ ...state, lastError });
    return stay({
      ...state,
      status: 'waiting-for-credentials',
      lastError,
      child: { ...child, afterStop: { kind: 'wait', reason } },
    });
  }
  return enterWaiting(state, reason);
}

/** No child: show the prompt when we start waiting; while waiting, only say what changed. */
export function enterWaiting(state: SupervisorState, reason: WaitReason): Step {
  const lastError = summarizeWaitReason(reason);
  const next: SupervisorState = { ...state, status: 'waiting-for-credentials', lastError };
  if (state.status !== 'waiting-for-credentials') {
    return stay(
      next,
      { type: 'print-prompt', reason },
      { type: 'notify', attention: { kind: 'credentials-needed', reason } },
    );
  }
  if (state.lastError === lastError) return stay(next);
  return stay(next, { type: 'print', level: 'warn', message: lastError });
}
