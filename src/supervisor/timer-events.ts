/** Which machine event each of `watch`'s timers raises: the timers know nothing of the machine. */
import type { SupervisorTimerHandlers } from '../timers/supervisor-timers.js';
import type { BackoffPurpose, MachineConfig, SupervisorEvent } from './types.js';

export function timerEvents(
  machine: Pick<MachineConfig, 'stopBeforeMs'>,
  dispatch: (event: SupervisorEvent) => void,
  /** Told first (the SSO session is looked at before the re-verification asks for a login). */
  beforeClockJump: (skewMs: number) => void,
): Omit<SupervisorTimerHandlers<BackoffPurpose>, 'log'> {
  return {
    onRefreshDue: (expiresAt) => dispatch({ type: 'refresh-due', expiresAt }),
    stopBefore: {
      ms: machine.stopBeforeMs,
      onStopDue: (expiresAt) => dispatch({ type: 'stop-due', expiresAt }),
    },
    onExpired: (expiresAt) => dispatch({ type: 'expired', expiresAt }),
    onBackoffElapsed: (purpose) => dispatch({ type: 'backoff-elapsed', purpose }),
    onProbeDue: () => dispatch({ type: 'probe-due' }),
    onClockJump: (skewMs) => {
      beforeClockJump(skewMs);
      dispatch({ type: 'clock-jumped', skewMs });
    },
  };
}
