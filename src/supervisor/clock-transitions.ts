/**
 * The wall clock jumped against the monotonic one (the machine slept, or the time was set). Timers
 * armed before fired late or not at all, and credentials may have expired meanwhile, unseen: check at
 * once instead of trusting them. A child that outlived its credentials while the machine slept has
 * silently missed deploys (`cdk watch` swallows their errors), so it is restarted once fresh
 * credentials are verified, as after any other expiry.
 */
import { formatDuration } from '../config/duration.js';
import { probeNow } from './expiry-transitions.js';
import { andThen, hasActiveChild, requestVerification, type Step, stay } from './steps.js';
import type { Effect, SupervisorEvent, SupervisorState, TransitionContext } from './types.js';

type ClockJumped = Extract<SupervisorEvent, { type: 'clock-jumped' }>;

/** The two clocks are read a moment apart: "2h", not "1h 59m 59.998s". */
function roundedToSecond(ms: number): number {
  return Math.max(1000, Math.round(Math.abs(ms) / 1000) * 1000);
}

export function onClockJumped(state: SupervisorState, event: ClockJumped, ctx: TransitionContext): Step {
  if (state.stop) return stay(state);
  const direction = event.skewMs > 0 ? 'ahead' : 'back';
  const effects: Effect[] = [
    {
      type: 'print',
      level: 'warn',
      message: `The clock jumped ${direction} by ${formatDuration(roundedToSecond(event.skewMs))} (the machine slept, or its time was set); checking the credentials again.`,
    },
  ];
  const credentials = state.credentials;
  if (!hasActiveChild(state) || !credentials) {
    // No child to protect: re-read the sources if we are waiting for credentials, nothing else.
    const waiting = state.status === 'waiting-for-credentials' && !state.child;
    return waiting ? andThen(stay(state, ...effects), requestVerification) : stay(state, ...effects);
  }
  // The timers for the expiration were armed against the old time: arm them again.
  effects.push({ type: 'track-expiry', expiresAt: credentials.expiresAt });
  const outlived =
    credentials.expiresAt !== null && credentials.expiresAt <= ctx.now && !state.credentialsBroken;
  const next: SupervisorState = outlived
    ? {
        ...state,
        credentialsBroken: 'expired',
        refreshDue: true,
        child: { ...state.child!, tainted: true },
      }
    : state;
  return andThen(andThen(stay(next, ...effects), requestVerification), probeNow);
}
