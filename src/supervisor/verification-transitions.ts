import { formatDuration } from '../config/duration.js';
import { type Acceptance, mayReplace, mayStart } from '../verify/credential-acceptance.js';
import { backoffDelay, NO_CRASHES } from './backoff.js';
import {
  acceptanceRules,
  andThen,
  inUseFacts,
  isRefreshDue,
  isStopDue,
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

/** Say nothing about the credentials: retried, never a reason to stop a child whose credentials work. */
const TRANSIENT: ReadonlySet<RejectionReason> = new Set(['network', 'not-ready', 'clock-skew']);

/** The supervisor is leaving: credential news changes nothing. */
function isLeaving(state: SupervisorState): boolean {
  return state.status === 'stopping' || state.status === 'stopped';
}

/** Verdicts are not acted on while leaving, and not in a crash backoff or `fatal`: the restart verifies anew. */
function ignoresVerdicts(state: SupervisorState): boolean {
  return isLeaving(state) || state.status === 'fatal' || state.status === 'backoff';
}

export function onFreshCredentials(before: SupervisorState, event: Fresh): Step {
  if (isLeaving(before)) return stay(before);
  const manual = event.trigger === 'reload' || event.trigger === 'signal' || event.trigger === 'key';
  // The person's word on an account switch: `reload --accept-account ID`, or `r` under the prompt
  // that named the pending account.
  const acceptedAccount =
    event.acceptAccount ?? (event.trigger === 'key' ? before.pendingAccount : null) ?? before.acceptedAccount;
  const state = { ...before, acceptedAccount, announced: true };
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
  const handled = handle({ ...state, verification: null });
  // The announcement is answered by this verdict, unless another verification was asked for meanwhile.
  const step = { ...handled, state: { ...handled.state, announced: again && state.announced } };
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
    const verdict = mayStart(s.credentials?.account ?? null, chosen, acceptanceRules(s, ctx));
    if (!child) {
      switch (verdict.verdict) {
        case 'replace':
          return spawnChild(accept(s, chosen));
        case 'too-short':
          return enterWaiting(s, expiringSoon(chosen, ctx));
        case 'other-account':
          return enterWaiting({ ...s, pendingAccount: verdict.candidate }, accountSwitch(verdict, ctx));
      }
    }
    if (child.phase === 'stopping') {
      if (verdict.verdict !== 'replace') return stay(s);
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

/** The child runs: serve, restart, keep, or stop, depending on the acceptance verdict and delivery. */
function onVerifiedWithActiveChild(
  state: SupervisorState,
  chosen: ChosenCredentials,
  ctx: TransitionContext,
): Step {
  const verdict = mayReplace(inUseFacts(state)!, chosen, acceptanceRules(state, ctx));
  switch (verdict.verdict) {
    case 'replace':
      return replaceInUse(state, chosen, ctx);
    case 'other-account':
      // Never served: the child is stopped, and restarts on the new account once the person says so.
      return needCredentials({ ...state, pendingAccount: verdict.candidate }, accountSwitch(verdict, ctx));
    case 'same':
    case 'not-later':
    case 'too-short':
      return keepInUse(state, chosen, verdict, ctx);
  }
}

function replaceInUse(state: SupervisorState, chosen: ChosenCredentials, ctx: TransitionContext): Step {
  const child = state.child!;
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

/** Nothing better than what the child uses: stop it only once --stop-before is reached. */
function keepInUse(
  state: SupervisorState,
  chosen: ChosenCredentials,
  verdict: Acceptance & { verdict: 'same' | 'not-later' | 'too-short' },
  ctx: TransitionContext,
): Step {
  const detail = keptDetail(chosen, verdict, ctx);
  if (state.credentialsBroken || isStopDue(state, ctx)) {
    return needCredentials(state, reasonForActiveChild(state, detail, ctx));
  }
  // A verification went through: whatever failed before (STS unreachable) is over.
  const recovered = { ...state, lastError: null };
  // Refreshing: the source may give fresher credentials later (an SSO login, a rewritten file).
  const step = isRefreshDue(state, ctx) ? retryVerificationLater(recovered, ctx) : stay(recovered);
  if (verdict.verdict === 'same') return step; // e.g. the file was touched, not rewritten
  return andThen(step, (s) =>
    stay(s, {
      type: 'print',
      level: 'warn',
      message: `Ignored the new credentials: ${detail} Keeping the ones in use.`,
    }),
  );
}

function keptDetail(
  chosen: ChosenCredentials,
  verdict: Acceptance & { verdict: 'same' | 'not-later' | 'too-short' },
  ctx: TransitionContext,
): string {
  switch (verdict.verdict) {
    case 'same':
      return `the source (${chosen.source}) still gives the credentials in use.`;
    case 'not-later':
      return `the credentials from ${chosen.source} expire no later than the ones in use.`;
    case 'too-short':
      return expiringSoon(chosen, ctx).detail;
  }
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
      if (event.reason === 'network' || event.reason === 'clock-skew') return waitForTransient(s, event, ctx);
      return enterWaiting(s, rejectionReason(event));
    }
    // The child runs on credentials that still work, until they are broken or reach --stop-before.
    const urgent = s.credentialsBroken !== null || isStopDue(s, ctx);
    if (!urgent) {
      // A half-written file: its watcher reports again when the writer is done.
      if (event.reason === 'not-ready') return stay(s);
      const told = s.lastError === event.message && !s.announced;
      const kept = { ...s, lastError: event.message };
      // Refreshing (past --refresh-before): keep trying until --stop-before, whatever the failure.
      const step = isRefreshDue(s, ctx) ? retryVerificationLater(kept, ctx) : stay(kept);
      if (told) return step;
      return andThen(step, (r) =>
        stay(r, {
          type: 'print',
          level: 'warn',
          message: `Ignored the new credentials: ${event.message} Keeping the ones in use.`,
        }),
      );
    }
    // Past --stop-before, or broken: the child stops now, whatever the failure; transient ones (STS
    // unreachable) keep being retried so the child restarts as soon as fresh credentials verify.
    const stopping = needCredentials(s, reasonForActiveChild(s, event.message, ctx));
    return transient ? andThen(stopping, (r) => retryVerificationLater(r, ctx)) : stopping;
  });
}

/**
 * No child and no verdict on the credentials (STS unreachable, a wrong clock): retry, no prompt. The
 * supervisor is still `starting` (nothing is asked of the person), unless it was already waiting for
 * credentials; `lastError` says what is retried.
 */
function waitForTransient(state: SupervisorState, event: Rejected, ctx: TransitionContext): Step {
  const lastError = `${event.message} Retrying.`;
  const changed = state.lastError !== lastError;
  const status = state.status === 'waiting-for-credentials' ? state.status : 'starting';
  const retry = retryVerificationLater({ ...state, status, lastError }, ctx);
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
    stopDue: false,
    pendingAccount: null,
    acceptedAccount: null,
    verifyFailures: 0,
    lastError: null,
  };
}

/** Working credentials for another account: the prompt names both, and how to confirm the switch. */
function accountSwitch(
  verdict: Acceptance & { verdict: 'other-account' },
  ctx: TransitionContext,
): WaitReason {
  const confirm = ctx.config.exitOnFatal
    ? `run \`cred-supervisor reload --accept-account ${verdict.candidate}\``
    : `press r or run \`cred-supervisor reload --accept-account ${verdict.candidate}\``;
  return {
    kind: 'rejected',
    problem: 'other-account',
    detail:
      `The new credentials are for account ${verdict.candidate}, not ${verdict.inUse}, which the command ` +
      `ran with; they were not used. To switch the command to account ${verdict.candidate}, ${confirm}; ` +
      `to stay on ${verdict.inUse}, provide credentials for ${verdict.inUse}.`,
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
  const before = formatDuration(ctx.config.stopBeforeMs);
  return {
    kind: 'rejected',
    problem: 'expiring-soon',
    detail:
      `The credentials from ${facts.source} expire in ${left}, within --stop-before (${before}). ` +
      'Provide credentials that last longer, or lower --stop-before.',
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
