/**
 * The supervisor's decisions as a pure function: (state, event, ctx) → (state, effects). The
 * orchestrator feeds it events (timers, STS answers, child lifecycle, keys, signals) and carries out
 * the effects in order; it decides nothing itself. Handlers live in *-transitions.ts by subject.
 */
import { NO_CRASHES } from './backoff.js';
import {
  onChildExited,
  onChildSpawnFailed,
  onChildStarted,
  onChildStopped,
  onRestartBackoffElapsed,
} from './child-transitions.js';
import { onClockJumped } from './clock-transitions.js';
import {
  onExpired,
  onOutputErrorLine,
  onProbeDue,
  onProbeFailed,
  onProbeOk,
  onRefreshDue,
  onStopDue,
  probeNow,
} from './expiry-transitions.js';
import { onChildMissedRotation } from './rotation-transitions.js';
import { andThen, requestVerification, type Step, stay } from './steps.js';
import { onStopRequested } from './stop-transitions.js';
import type { Effect, SupervisorEvent, SupervisorState, Transition, TransitionContext } from './types.js';
import { onFreshCredentials, onRejected, onVerified } from './verification-transitions.js';

export function createInitialState(): SupervisorState {
  return {
    status: 'starting',
    credentials: null,
    credentialsBroken: null,
    refreshDue: false,
    stopDue: false,
    pendingAccount: null,
    acceptedAccount: null,
    announced: false,
    child: null,
    restarts: 0,
    spawns: 0,
    crashes: NO_CRASHES,
    nextCandidateId: 1,
    verification: null,
    verifyFailures: 0,
    probe: { inFlight: false, networkFailures: 0, byErrorLine: false, falseAlarms: 0, quietUntil: 0 },
    backoffPending: { restart: false, verify: false, probe: false },
    stop: null,
    lastError: null,
    exitCode: null,
  };
}

export function transition(
  state: SupervisorState,
  event: SupervisorEvent,
  ctx: TransitionContext,
): Transition {
  // Once an exit was decided nothing else happens; late answers from timers or STS are dropped.
  if (state.status === 'stopped') return { state, effects: [] };
  const step = dispatch(state, event, ctx);
  return { state: step.state, effects: withDerivedEffects(state, step) };
}

function dispatch(state: SupervisorState, event: SupervisorEvent, ctx: TransitionContext): Step {
  switch (event.type) {
    case 'start':
      if (state.spawns > 0 || state.verification || state.status !== 'starting') return stay(state);
      return andThen(stay(state, { type: 'print-status' }), requestVerification);
    case 'credentials-verified':
      return onVerified(state, event, ctx);
    case 'credentials-rejected':
      return onRejected(state, event, ctx);
    case 'fresh-credentials-available':
      return onFreshCredentials(state, event);
    case 'probe-due':
      return onProbeDue(state);
    case 'probe-ok':
      return onProbeOk(state, event, ctx);
    case 'probe-failed':
      return onProbeFailed(state, event, ctx);
    case 'refresh-due':
      return onRefreshDue(state, event);
    case 'stop-due':
      return onStopDue(state, event, ctx);
    case 'expired':
      return onExpired(state, event);
    case 'output-error-line':
      return onOutputErrorLine(state, event, ctx);
    case 'child-started':
      return onChildStarted(state, event, ctx);
    case 'child-spawn-failed':
      return onChildSpawnFailed(state, event);
    case 'child-exited':
      return onChildExited(state, event, ctx);
    case 'child-stopped':
      return onChildStopped(state, ctx);
    case 'backoff-elapsed':
      return onBackoffElapsed(state, event.purpose);
    case 'stop-requested':
      return onStopRequested(state, event);
    case 'clock-jumped':
      return onClockJumped(state, event, ctx);
    case 'child-missed-rotation':
      return onChildMissedRotation(state);
  }
}

function onBackoffElapsed(state: SupervisorState, purpose: 'restart' | 'verify' | 'probe'): Step {
  if (!state.backoffPending[purpose]) return stay(state); // superseded
  if (purpose === 'restart') return onRestartBackoffElapsed(state);
  const cleared = { ...state, backoffPending: { ...state.backoffPending, [purpose]: false } };
  if (purpose === 'probe') return probeNow(cleared);
  const wants =
    cleared.status === 'starting' ||
    cleared.status === 'running' ||
    cleared.status === 'waiting-for-credentials';
  return wants ? requestVerification(cleared) : stay(cleared);
}

/** The child's expiry timers follow the credentials it uses, and only while it is not being stopped. */
function trackedExpiry(state: SupervisorState): number | null {
  if (!state.child || state.child.phase === 'stopping' || !state.credentials) return null;
  return state.credentials.expiresAt;
}

/**
 * Effects every transition needs, derived instead of repeated in each handler: re-arm the expiry timers
 * when the tracked expiration changes, print the status line at every change of state or credentials,
 * and keep `exit` last so the orchestrator runs everything else first.
 */
function withDerivedEffects(before: SupervisorState, step: Step): Effect[] {
  const after = step.state;
  const derived: Effect[] = [];
  const expiry = trackedExpiry(after);
  if (expiry !== trackedExpiry(before)) derived.push({ type: 'track-expiry', expiresAt: expiry });
  const changed =
    after.status !== before.status || after.credentials?.fingerprint !== before.credentials?.fingerprint;
  if (changed && after.stop?.reason !== 'sighup') derived.push({ type: 'print-status' });
  const exits = step.effects.filter((e) => e.type === 'exit');
  const others = step.effects.filter((e) => e.type !== 'exit');
  return [...others, ...derived, ...exits];
}
