/**
 * How the supervisor learns that the child's credentials stop working: the expiration time, the
 * scheduled STS probe and the child's own error lines. `cdk watch` swallows deploy errors, so the error
 * lines alone are not enough.
 */
import { formatDuration } from '../config/duration.js';
import { backoffDelay } from './backoff.js';
import { andThen, requestVerification, type Step, scheduleBackoff, stay } from './steps.js';
import type { SupervisorEvent, SupervisorState, TransitionContext } from './types.js';

type Of<T extends SupervisorEvent['type']> = Extract<SupervisorEvent, { type: T }>;

function hasRunningChild(state: SupervisorState): boolean {
  return state.child?.phase === 'running';
}

function tracks(state: SupervisorState, expiresAt: number): boolean {
  return (
    state.child !== null && state.child.phase !== 'stopping' && state.credentials?.expiresAt === expiresAt
  );
}

/** --refresh-before reached: warn, then try the source for fresher credentials. */
export function onRefreshDue(state: SupervisorState, event: Of<'refresh-due'>): Step {
  if (!tracks(state, event.expiresAt) || state.refreshDue) return stay(state);
  const warned = stay({ ...state, refreshDue: true }, { type: 'warn-expiring', expiresAt: event.expiresAt });
  return andThen(warned, requestVerification);
}

/** The expiration time passed while the child runs: it is failing now, whatever it prints. */
export function onExpired(state: SupervisorState, event: Of<'expired'>): Step {
  if (!tracks(state, event.expiresAt) || state.credentialsBroken) return stay(state);
  return requestVerification({
    ...state,
    credentialsBroken: 'expired',
    refreshDue: true,
    child: { ...state.child!, tainted: true },
  });
}

/** A --check-schedule tick. While waiting, it also re-reads the sources in case a change was missed. */
export function onProbeDue(state: SupervisorState): Step {
  if (hasRunningChild(state)) return probeNow(state);
  if (
    state.status === 'waiting-for-credentials' &&
    !state.child &&
    !state.verification &&
    !state.backoffPending.verify
  ) {
    return requestVerification(state);
  }
  return stay(state);
}

export function probeNow(state: SupervisorState): Step {
  if (!hasRunningChild(state) || state.probe.inFlight) return stay(state);
  return stay(
    {
      ...state,
      probe: { ...state.probe, inFlight: true },
      backoffPending: { ...state.backoffPending, probe: false },
    },
    { type: 'probe-now', candidateId: state.child!.candidateId },
  );
}

export function onProbeOk(state: SupervisorState, event: Of<'probe-ok'>): Step {
  const settled = { ...state, probe: { ...state.probe, inFlight: false } };
  if (state.child?.candidateId !== event.candidateId) return stay(settled);
  return stay({ ...settled, probe: { inFlight: false, networkFailures: 0 } });
}

export function onProbeFailed(
  state: SupervisorState,
  event: Of<'probe-failed'>,
  ctx: TransitionContext,
): Step {
  const settled = { ...state, probe: { ...state.probe, inFlight: false } };
  if (!hasRunningChild(state) || state.child!.candidateId !== event.candidateId) return stay(settled);
  if (event.kind === 'network') {
    // Unreachable STS says nothing about the credentials: keep the child, probe again sooner.
    const networkFailures = state.probe.networkFailures + 1;
    const delayMs = backoffDelay(networkFailures, ctx.config.backoff);
    const retry = scheduleBackoff(
      { ...settled, lastError: event.message, probe: { inFlight: false, networkFailures } },
      'probe',
      delayMs,
    );
    if (networkFailures > 1) return retry;
    retry.effects.push({
      type: 'print',
      level: 'warn',
      message: `The scheduled STS check failed: ${event.message} The command keeps running; checking again in ${formatDuration(delayMs)}.`,
    });
    return retry;
  }
  if (state.credentialsBroken) return stay(settled);
  const broken: SupervisorState = {
    ...settled,
    credentialsBroken: event.kind === 'invalid' ? 'revoked' : 'expired',
    lastError: event.message,
    child: { ...state.child!, tainted: true },
  };
  return requestVerification(broken);
}

/**
 * The child printed a credential error. The line may be about something else (another profile, a
 * sub-tool), so it is not proof: mark the child for a restart on the next fresh credentials and ask STS.
 */
export function onOutputErrorLine(state: SupervisorState, event: Of<'output-error-line'>): Step {
  if (!hasRunningChild(state) || state.credentialsBroken) return stay(state);
  const child = state.child!;
  const marked = { ...state, child: { ...child, tainted: true } };
  const probing = probeNow(marked);
  if (child.tainted) return probing;
  probing.effects.unshift({
    type: 'print',
    level: 'warn',
    message: `The command reported a credential error (${event.kind}); checking its credentials with STS.`,
  });
  return probing;
}
