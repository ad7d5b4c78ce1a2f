/**
 * How the supervisor learns that the child's credentials stop working: the expiration time, the
 * scheduled STS probe and the child's own error lines. `cdk watch` swallows deploy errors, so the error
 * lines alone are not enough.
 */
import { formatDuration } from '../config/duration.js';
import { backoffDelay } from './backoff.js';
import { andThen, requestVerification, type Step, scheduleBackoff, stay } from './steps.js';
import type { SupervisorEvent, SupervisorState, TransitionContext } from './types.js';
import { needCredentials } from './waiting.js';

type Of<T extends SupervisorEvent['type']> = Extract<SupervisorEvent, { type: T }>;

function hasRunningChild(state: SupervisorState): boolean {
  return state.child?.phase === 'running';
}

function tracks(state: SupervisorState, expiresAt: number): boolean {
  return (
    state.child !== null && state.child.phase !== 'stopping' && state.credentials?.expiresAt === expiresAt
  );
}

/**
 * --refresh-before reached: warn, then try the source for fresher credentials. The child keeps
 * running; failed attempts are retried (verification-transitions) until --stop-before.
 */
export function onRefreshDue(state: SupervisorState, event: Of<'refresh-due'>): Step {
  if (!tracks(state, event.expiresAt) || state.refreshDue) return stay(state);
  const warned = stay({ ...state, refreshDue: true }, { type: 'warn-expiring', expiresAt: event.expiresAt });
  return andThen(warned, requestVerification);
}

/**
 * --stop-before reached and nothing fresher was verified (fresher credentials would have moved the
 * tracked expiration and cancelled this timer): stop the child before it fails silently, prompt, and
 * keep looking.
 */
export function onStopDue(state: SupervisorState, event: Of<'stop-due'>, ctx: TransitionContext): Step {
  if (!tracks(state, event.expiresAt) || state.stopDue) return stay(state);
  // A refresh is in flight (a short --refresh-before can put both at once): its verdict decides, with
  // --stop-before reached.
  if (state.verification) return stay({ ...state, stopDue: true, refreshDue: true });
  const left = formatDuration(Math.max(0, event.expiresAt - ctx.now));
  const due = { ...state, stopDue: true, refreshDue: true };
  const stopping = needCredentials(due, {
    kind: 'expiring',
    expiresAt: event.expiresAt,
    detail: `--stop-before (${formatDuration(ctx.config.stopBeforeMs)}) reached with ${left} left.`,
  });
  return andThen(stopping, requestVerification);
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

export function onProbeOk(state: SupervisorState, event: Of<'probe-ok'>, ctx: TransitionContext): Step {
  const settled = { ...state, probe: { ...state.probe, inFlight: false, byErrorLine: false } };
  if (state.child?.candidateId !== event.candidateId) return stay(settled);
  // STS answered again after failed checks: their error is over.
  if (state.probe.networkFailures > 0) settled.lastError = null;
  if (!state.probe.byErrorLine) return stay({ ...settled, probe: { ...settled.probe, networkFailures: 0 } });
  // The child cried wolf: STS accepts its credentials. Its next error lines wait longer for a probe
  // (1 s, 2 s, 4 s … 30 s), so a child printing ExpiredToken in a loop cannot drive STS calls.
  const falseAlarms = state.probe.falseAlarms + 1;
  return stay({
    ...settled,
    probe: {
      ...settled.probe,
      networkFailures: 0,
      falseAlarms,
      quietUntil: ctx.now + backoffDelay(falseAlarms, ctx.config.backoff),
    },
  });
}

export function onProbeFailed(
  state: SupervisorState,
  event: Of<'probe-failed'>,
  ctx: TransitionContext,
): Step {
  const settled = { ...state, probe: { ...state.probe, inFlight: false, byErrorLine: false } };
  if (!hasRunningChild(state) || state.child!.candidateId !== event.candidateId) return stay(settled);
  if (event.kind === 'network' || event.kind === 'clock-skew') {
    // Unreachable STS, or a wrong clock here, says nothing about the credentials: keep the child,
    // probe again sooner.
    const networkFailures = state.probe.networkFailures + 1;
    const delayMs = backoffDelay(networkFailures, ctx.config.backoff);
    const retry = scheduleBackoff(
      { ...settled, lastError: event.message, probe: { ...settled.probe, networkFailures } },
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
    probe: { ...settled.probe, falseAlarms: 0, quietUntil: 0 },
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
export function onOutputErrorLine(
  state: SupervisorState,
  event: Of<'output-error-line'>,
  ctx: TransitionContext,
): Step {
  if (state.credentialsBroken) return stay(state);
  if (state.child?.phase === 'spawning') {
    // Kept for `child-started`: a child can print before its start is confirmed.
    const child = {
      ...state.child,
      errorLineWhileSpawning: state.child.errorLineWhileSpawning ?? event.kind,
    };
    return stay({ ...state, child });
  }
  if (!hasRunningChild(state)) return stay(state);
  const child = state.child!;
  const marked = { ...state, child: { ...child, tainted: true } };
  // Rate limit: after a probe found the credentials fine, error lines wait out a growing quiet time.
  const waiting = state.probe.inFlight || state.backoffPending.probe; // a probe is on its way anyway
  if (waiting || ctx.now < state.probe.quietUntil) return stay(marked);
  const probing = probeNow({ ...marked, probe: { ...marked.probe, byErrorLine: true } });
  if (child.tainted) return probing;
  probing.effects.unshift({
    type: 'print',
    level: 'warn',
    message: `The command reported a credential error (${event.kind}); checking its credentials with STS.`,
  });
  return probing;
}
