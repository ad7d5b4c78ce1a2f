import type { AcceptanceRules, InUseCredentialFacts } from '../verify/credential-acceptance.js';
import { backoffDelay } from './backoff.js';
import type {
  AfterChild,
  BackoffPurpose,
  Effect,
  StopChildReason,
  SupervisorState,
  TransitionContext,
} from './types.js';

/** A partial transition: the building block the event handlers compose. */
export interface Step {
  state: SupervisorState;
  effects: Effect[];
}

export function stay(state: SupervisorState, ...effects: Effect[]): Step {
  return { state, effects };
}

/** Runs `next` on the state `step` produced and concatenates the effects. */
export function andThen(step: Step, next: (state: SupervisorState) => Step): Step {
  const after = next(step.state);
  return { state: after.state, effects: [...step.effects, ...after.effects] };
}

/** Asks for a verification unless one is in flight; then one more is asked for when it ends. */
export function requestVerification(state: SupervisorState): Step {
  if (state.verification) {
    return stay({ ...state, verification: { ...state.verification, again: true } });
  }
  const candidateId = state.nextCandidateId;
  return stay(
    {
      ...state,
      verification: { candidateId, again: false },
      nextCandidateId: candidateId + 1,
      // A verification now supersedes a scheduled retry.
      backoffPending: { ...state.backoffPending, verify: false },
    },
    { type: 'verify-candidate', candidateId },
  );
}

/** Spawns the child with `state.credentials`, which the caller has just verified. */
export function spawnChild(state: SupervisorState): Step {
  if (!state.credentials) throw new Error('Expected verified credentials before spawning, got none');
  const { candidateId } = state.credentials;
  return stay(
    {
      ...state,
      status: 'starting',
      child: { phase: 'spawning', pid: null, startedAt: null, candidateId, tainted: false },
      restarts: state.spawns > 0 ? state.restarts + 1 : state.restarts,
      spawns: state.spawns + 1,
    },
    { type: 'spawn-child', candidateId },
  );
}

/** Starts stopping the child (if not already) and records what to do once its group is gone. */
export function stopChild(state: SupervisorState, reason: StopChildReason, afterStop: AfterChild): Step {
  const child = state.child;
  if (!child) throw new Error('Expected a child to stop, got none');
  const stopping = { ...child, phase: 'stopping' as const, afterStop };
  if (child.phase === 'stopping') return stay({ ...state, child: stopping });
  return stay({ ...state, child: stopping }, { type: 'stop-child', reason });
}

export function scheduleBackoff(state: SupervisorState, purpose: BackoffPurpose, delayMs: number): Step {
  return stay(
    { ...state, backoffPending: { ...state.backoffPending, [purpose]: true } },
    { type: 'schedule-backoff', purpose, delayMs },
  );
}

/** Schedules the next verification retry after a transient failure (network, half-written file). */
export function retryVerificationLater(state: SupervisorState, ctx: TransitionContext): Step {
  const verifyFailures = state.verifyFailures + 1;
  return scheduleBackoff(
    { ...state, verifyFailures },
    'verify',
    backoffDelay(verifyFailures, ctx.config.backoff),
  );
}

/** The rules `mayReplace` applies, from this transition's clock and config. */
export function acceptanceRules(state: SupervisorState, ctx: TransitionContext): AcceptanceRules {
  return {
    now: ctx.now,
    stopBeforeMs: ctx.config.stopBeforeMs,
    acceptedAccount: state.acceptedAccount,
    provided: state.announced,
  };
}

/** What the credentials in use look like to `mayReplace`; null when no child runs. */
export function inUseFacts(state: SupervisorState): InUseCredentialFacts | null {
  if (!state.credentials || !hasActiveChild(state)) return null;
  return { ...state.credentials, broken: state.credentialsBroken !== null };
}

/** The credentials in use have reached --stop-before: the child must not go on with them. */
export function isStopDue(state: SupervisorState, ctx: TransitionContext): boolean {
  const expiresAt = state.credentials?.expiresAt ?? null;
  if (expiresAt === null) return false;
  return state.stopDue || expiresAt - ctx.now <= ctx.config.stopBeforeMs;
}

/** The credentials in use have reached --refresh-before. */
export function isRefreshDue(state: SupervisorState, ctx: TransitionContext): boolean {
  const expiresAt = state.credentials?.expiresAt ?? null;
  if (expiresAt === null) return false;
  return state.refreshDue || expiresAt - ctx.now <= ctx.config.refreshBeforeMs;
}

/** A child exists and is not being stopped. */
export function hasActiveChild(state: SupervisorState): boolean {
  return state.child !== null && state.child.phase !== 'stopping';
}
