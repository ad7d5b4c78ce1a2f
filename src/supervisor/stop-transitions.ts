import { exit } from './child-transitions.js';
import { type Step, stay, stopChild } from './steps.js';
import type { StopRequestReason, SupervisorEvent, SupervisorState, SupervisorStatus } from './types.js';

/**
 * The shell convention, 128 + signal number, so scripts see why we ended: SIGINT 130, SIGTERM 143,
 * SIGHUP 129. A stop the person asked for (`q`, `cred-supervisor stop`) is a success, except from
 * `fatal`, where the run did fail.
 */
export function exitCodeForStop(reason: StopRequestReason, status: SupervisorStatus): number {
  switch (reason) {
    case 'sigint':
      return 130;
    case 'sigterm':
      return 143;
    case 'sighup':
      return 129;
    case 'key':
    case 'control':
    case 'finished':
      return status === 'fatal' ? 1 : 0;
  }
}

const FORCE_HINT: Record<Exclude<StopRequestReason, 'sighup' | 'finished'>, string> = {
  sigint: 'press Ctrl+C again',
  key: 'press q again',
  sigterm: 'send SIGTERM again',
  control: 'run `cred-supervisor stop` again',
};

/** First request: stop the child gracefully, then exit. Second request (or `force`): SIGKILL now. */
export function onStopRequested(
  state: SupervisorState,
  event: Extract<SupervisorEvent, { type: 'stop-requested' }>,
): Step {
  if (state.status === 'stopped') return stay(state);
  if (state.stop) {
    if (!state.child) return exit(state, state.stop.code);
    return stay(
      state,
      { type: 'print', level: 'warn', message: 'Forcing the stop (SIGKILL).' },
      { type: 'kill-child' },
    );
  }
  const code = exitCodeForStop(event.reason, state.status);
  const stopping: SupervisorState = { ...state, status: 'stopping', stop: { reason: event.reason, code } };
  if (!stopping.child) return exit(stopping, code);
  const step = stopChild(stopping, 'shutdown', { kind: 'exit', code });
  if (event.force) {
    step.effects.push({ type: 'kill-child' });
  } else if (event.reason !== 'sighup' && event.reason !== 'finished') {
    // After SIGHUP the terminal is gone: writing to it would only fail. A finished demo stops itself.
    step.effects.push({
      type: 'print',
      level: 'info',
      message: `Stopping the command gracefully; ${FORCE_HINT[event.reason]} to force.`,
    });
  }
  return step;
}
