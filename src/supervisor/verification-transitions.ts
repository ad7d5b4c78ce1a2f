import { formatDuration } from '../config/duration.js';
import { backoffDelay, NO_CRASHES } from './backoff.js';
import {
  andThen,
  isRefreshDue,
  isUsable,
  requestVerification,
  retryVerificationLater,
  type Step,
  spawnChild,
  stay,
  stopChild,
} from './steps.js';
import type {
  ChosenCredentials,
  RejectionReason,
  SupervisorEvent,
  SupervisorState,
  TransitionContext,
  VerifiedCredentialFacts,
  WaitReason,
} from './types.js';
import { enterWaiting, needCredentials } from './waiting.js';

type Verified = Extract<SupervisorEvent, { type: 'credentials-verified' }>;
type Rejected = Extract<SupervisorEvent, { type: 'credentials-rejected' }>;
type Fresh = Extract<SupervisorEvent, { type: 'fresh-credentials-available' }>;

const TRANSIENT: ReadonlySet<RejectionReason> = new Set(['network', 'not-ready']);

/** The supervisor is leaving: credential news changes nothing. */
function isLeaving(state: SupervisorState): boolean {
  return state.status === 'stopping' || state.status === 'stopped';
}

/** Verdicts are not acted on while leaving, and not in a crash backoff or `fatal`: the restart verifies anew. */
function ignoresVerdicts(state: SupervisorState): boolean {
  return isLeaving(state) || state.status === 'fatal' || state.status === 'backoff';
}

export function onFreshCredentials(state: SupervisorState, event: Fresh): Step {
  if (isLeaving(state)) return stay(state);
  const manual = event.trigger === 'reload' || event.trigger === 'signal' || event.trigger === 'key';
  if (state.status === 'fatal' || state.status === 'backoff') {
    // A file event must not cut a crash backoff short; the person asking explicitly may.
    if (!manual || state.child) return stay(state);
    return requestVerification({
      ...state,
      status: 'starting',
      crashes: NO_CRASHES,
      backoffPending: { ...state.backoffPending, restart: false },
    });
  }
  return requestVerification(state);
}

/** Handles a verification result, then runs the verification that was asked for meanwhile. */
function settleVerification(
  state: SupervisorState,
  candidateId: number,
  handle: (state: SupervisorState) => Step,
): Step {
  if (state.verification?.candidateId !== candidateId) return stay(state); // stale answer
  const again = state.verification.again;
  const step = handle({ ...state, verification: null });
  const wantsMore =
    step.state.status === 'starting' ||
    step.state.status === 'running' ||
    step.state.status === 'waiting-for-credentials';
  return again && wantsMore ? andThen(step, requestVerification) : step;
}

export function onVerified(state: SupervisorState, event: Verified, ctx: TransitionContext): Step {
  return settleVerification(state, event.candidateId, (s) => {
    if (ignoresVerdicts(s)) return stay(s);
    const chosen: ChosenCredentials = { ...event.credentials, candidateId: event.candidateId };
    const child = s.child;
    if (!child) {
      if (!isUsable(chosen, ctx)) return enterWaiting(s, expiringSoon(chosen, ctx));
      return spawnChild(accept(s, chosen));
    }
    if (child.phase === 'stopping') {
      if (!isUsable(chosen, ctx)) return stay(s);
      if (child.afterStop.kind === 'wait' || child.afterStop.kind === 'restart') {
        // Credentials came while the child was being stopped: start again as soon as it is gone.
        return stay({
          ...accept(s, chosen),
          status: 'starting',
          child: { ...child, afterStop: { kind: 'restart' } },
        });
      }
      return stay(s);
    }
    return onVerifiedWithActiveChild(s, chosen, ctx);
  });
}

/** The child runs: serve, restart, keep, or stop, depending on delivery and what it went through. */
function onVerifiedWithActiveChild(
  state: SupervisorState,
  chosen: ChosenCredentials,
  ctx: TransitionContext,
): Step {
  const current = state.credentials;
  const child = state.child!;
  const differs = current?.fingerprint !== chosen.fingerprint;
  if (differs && isUsable(chosen, ctx)) {
    const next = accept(state, chosen);
    if (child.tainted || ctx.config.delivery === 'env' || ctx.config.rotateByRestart) {
      // env: the child's variables are fixed at spawn. Tainted: `cdk watch` silently dropped deploys
      // while its credentials did not work; only a restart makes its initial deploy catch up.
      return stopChild({ ...next, status: 'starting' }, 'restart', { kind: 'restart' });
    }
    const updated = { ...next, child: { ...child, candidateId: chosen.candidateId } };
    // profile delivery: the child's SDK re-reads the profile by itself.
    if (ctx.config.delivery === 'profile') return stay(updated);
    return stay(updated, { type: 'serve-credentials', candidateId: chosen.candidateId });
  }
  const detail = differs
    ? expiringSoon(chosen, ctx).detail
    : `the source (${chosen.source}) still gives the credentials in use.`;
  if (state.credentialsBroken || isRefreshDue(state, ctx)) {
    return needCredentials(state, reasonForActiveChild(state, detail, ctx));
  }
  if (!differs) return stay(state); // e.g. the file was touched, not rewritten
  return stay(state, {
    type: 'print',
    level: 'warn',
    message: `Ignored the new credentials: ${detail} Keeping the ones in use.`,
  });
}

export function onRejected(state: SupervisorState, event: Rejected, ctx: TransitionContext): Step {
  return settleVerification(state, event.candidateId, (s) => {
    if (ignoresVerdicts(s)) return stay(s);
    const transient = TRANSIENT.has(event.reason);
    const child = s.child;
    if (child?.phase === 'stopping') return stay({ ...s, lastError: event.message });
    if (!child) {
      // STS unreachable says nothing about the credentials: retry, no prompt. A half-written file is
      // reported again by its watcher when the writer is done, so it is just one more rejection here.
      if (event.reason === 'network') return waitForTransient(s, event, ctx);
      return enterWaiting(s, rejectionReason(event));
    }
    // The child runs on credentials that still work, until they are broken or reach --refresh-before.
    const urgent = s.credentialsBroken !== null || isRefreshDue(s, ctx);
    if (!urgent) {
      // A half-written file: its watcher reports again when the writer is done.
      if (event.reason === 'not-ready') return stay(s);
      return stay(
        { ...s, lastError: event.message },
        {
          type: 'print',
          level: 'warn',
          message: `Ignored the new credentials: ${event.message} Keeping the ones in use.`,
        },
      );
    }
    const expired = s.credentialsBroken !== null || (s.credentials?.expiresAt ?? Infinity) <= ctx.now;
    if (transient && !expired) {
      // A network blip must not stop a child whose credentials still work: retry until they expire.
      const retry = retryVerificationLater({ ...s, lastError: event.message }, ctx);
      return andThen(retry, (r) => stay(r, retryMessage(event, r, ctx)));
    }
    const stopping = needCredentials(s, reasonForActiveChild(s, event.message, ctx));
    return transient ? andThen(stopping, (r) => retryVerificationLater(r, ctx)) : stopping;
  });
}

/** No child and no verdict on the credentials (STS unreachable): retry, no prompt. */
function waitForTransient(state: SupervisorState, event: Rejected, ctx: TransitionContext): Step {
  const changed = state.lastError !== event.message;
  const retry = retryVerificationLater(
    { ...state, status: 'waiting-for-credentials', lastError: event.message },
    ctx,
  );
  if (!changed) return retry;
  return andThen(retry, (r) => stay(r, retryMessage(event, r, ctx)));
}

function retryMessage(event: Rejected, state: SupervisorState, ctx: TransitionContext) {
  const delay = formatDuration(backoffDelay(state.verifyFailures, ctx.config.backoff));
  return {
    type: 'print' as const,
    level: 'warn' as const,
    message: `${event.message} Retrying in ${delay}.`,
  };
}

function accept(state: SupervisorState, chosen: ChosenCredentials): SupervisorState {
  return {
    ...state,
    credentials: chosen,
    credentialsBroken: null,
    refreshDue: false,
    verifyFailures: 0,
    lastError: null,
  };
}

function rejectionReason(event: Rejected): WaitReason {
  if (event.reason === 'missing') return { kind: 'missing', detail: event.message };
  return { kind: 'rejected', problem: event.reason, detail: event.message };
}

function expiringSoon(
  facts: VerifiedCredentialFacts,
  ctx: TransitionContext,
): WaitReason & { kind: 'rejected' } {
  const left = formatDuration(Math.max(0, (facts.expiresAt ?? ctx.now) - ctx.now));
  const before = formatDuration(ctx.config.refreshBeforeMs);
  return {
    kind: 'rejected',
    problem: 'expiring-soon',
    detail:
      `The credentials from ${facts.source} expire in ${left}, sooner than --refresh-before (${before}). ` +
      'Provide credentials that last longer, or lower --refresh-before.',
  };
}

/** "What happened" for a running child whose credentials cannot be replaced. */
function reasonForActiveChild(state: SupervisorState, detail: string, ctx: TransitionContext): WaitReason {
  const expiresAt = state.credentials?.expiresAt ?? null;
  if (state.credentialsBroken === 'revoked') return { kind: 'revoked', detail };
  if (state.credentialsBroken === 'expired' || expiresAt === null) {
    // STS can say "expired" long before the advertised expiration (a session ended early): the prompt
    // must not then claim they expired at a time still to come.
    const passed = expiresAt !== null && expiresAt <= ctx.now;
    return { kind: 'expired', expiresAt: passed ? expiresAt : null, detail };
  }
  return { kind: 'expiring', expiresAt, detail };
}
