import { formatDuration } from '../config/duration.js';
import { recordCrash } from './backoff.js';
import { onOutputErrorLine } from './expiry-transitions.js';
import { requestVerification, type Step, scheduleBackoff, spawnChild, stay, stopChild } from './steps.js';
import type { AfterChild, SupervisorEvent, SupervisorState, TransitionContext } from './types.js';

type Of<T extends SupervisorEvent['type']> = Extract<SupervisorEvent, { type: T }>;

export function onChildStarted(
  state: SupervisorState,
  event: Of<'child-started'>,
  ctx: TransitionContext,
): Step {
  const child = state.child;
  if (!child || child.pid !== null) return stay(state);
  if (child.phase === 'stopping')
    return stay({ ...state, child: { ...child, pid: event.pid, startedAt: ctx.now } });
  const { errorLineWhileSpawning, ...started } = child;
  const running: SupervisorState = {
    ...state,
    status: 'running',
    lastError: null,
    child: { ...started, phase: 'running', pid: event.pid, startedAt: ctx.now },
  };
  if (!errorLineWhileSpawning) return stay(running);
  return onOutputErrorLine(running, { type: 'output-error-line', kind: errorLineWhileSpawning }, ctx);
}

/** The command cannot be run at all (not found, not executable): waiting would not fix it. */
export function onChildSpawnFailed(state: SupervisorState, event: Of<'child-spawn-failed'>): Step {
  if (!state.child) return stay(state);
  if (state.stop) return exit({ ...state, child: null }, state.stop.code);
  // The shell's conventions: 126 found but not executable, 127 not found.
  const code = event.code === 'EACCES' ? 126 : 127;
  const failed = { ...state, child: null, status: 'fatal' as const, lastError: event.message };
  return andExit(
    stay(
      failed,
      { type: 'print', level: 'error', message: event.message },
      { type: 'notify', attention: { kind: 'fatal', message: event.message } },
    ),
    code,
  );
}

/**
 * The child's main process ended. If we did not ask for it, decide now (clean exit, crash, crash loop)
 * and reap the rest of its process group before acting: the CDK app it ran may still be alive.
 */
export function onChildExited(
  state: SupervisorState,
  event: Of<'child-exited'>,
  ctx: TransitionContext,
): Step {
  const child = state.child;
  if (!child || child.phase === 'stopping') return stay(state);
  const how = event.signal ? `was killed by ${event.signal}` : `exited with code ${event.code}`;
  if (event.code === 0) {
    return andPrint(
      stopChild({ ...state, status: 'stopping' }, 'exited', { kind: 'exit', code: 0 }),
      'info',
      'The command exited with code 0; cred-supervisor stops too.',
    );
  }
  const ranForMs = child.startedAt === null ? 0 : ctx.now - child.startedAt;
  const verdict = recordCrash(state.crashes, { now: ctx.now, ranForMs }, ctx.config.backoff);
  const crashed = { ...state, crashes: verdict.history, lastError: `The command ${how}.` };
  if (verdict.crashLoop) {
    const { maxCrashes, crashWindowMs } = ctx.config.backoff;
    const message =
      `The command ${how}: ${verdict.history.times.length} crashes within ${formatDuration(crashWindowMs)} ` +
      `(limit ${maxCrashes}). Not restarting it; fix the command, then press r or run \`cred-supervisor reload\`.`;
    return stopChild({ ...crashed, status: 'fatal', lastError: message }, 'exited', {
      kind: 'fatal',
      message,
    });
  }
  return andPrint(
    stopChild({ ...crashed, status: 'backoff' }, 'exited', { kind: 'backoff', delayMs: verdict.delayMs }),
    'warn',
    `The command ${how}. Restarting in ${formatDuration(verdict.delayMs)}.`,
  );
}

/** The child's group is gone: carry out the plan recorded when the stop began. */
export function onChildStopped(state: SupervisorState, ctx: TransitionContext): Step {
  const child = state.child;
  // Only a stop-child is answered with child-stopped; anything else is a stale or misrouted answer.
  if (child?.phase !== 'stopping') return stay(state);
  const plan: AfterChild = child.afterStop;
  const gone: SupervisorState = { ...state, child: null };
  switch (plan.kind) {
    case 'exit':
      return exit(gone, plan.code);
    case 'restart':
      return spawnChild(gone);
    case 'wait':
      return stay(
        { ...gone, status: 'waiting-for-credentials' },
        { type: 'print-prompt', reason: plan.reason },
        { type: 'notify', attention: { kind: 'credentials-needed', reason: plan.reason } },
      );
    case 'backoff':
      return scheduleBackoff({ ...gone, status: 'backoff' }, 'restart', plan.delayMs);
    case 'fatal': {
      const reported = stay(
        { ...gone, status: 'fatal' },
        { type: 'print', level: 'error', message: plan.message },
        { type: 'notify', attention: { kind: 'fatal', message: plan.message } },
      );
      return ctx.config.exitOnFatal ? andExit(reported, 1) : reported;
    }
  }
}

/** Crash backoff over: verify again before the restart (the credentials may have changed meanwhile). */
export function onRestartBackoffElapsed(state: SupervisorState): Step {
  if (state.status !== 'backoff' || !state.backoffPending.restart) return stay(state);
  return requestVerification({
    ...state,
    status: 'starting',
    backoffPending: { ...state.backoffPending, restart: false },
  });
}

export function exit(state: SupervisorState, code: number): Step {
  return stay({ ...state, status: 'stopped', exitCode: code }, { type: 'exit', code });
}

function andExit(step: Step, code: number): Step {
  return { state: { ...step.state, exitCode: code }, effects: [...step.effects, { type: 'exit', code }] };
}

function andPrint(step: Step, level: 'info' | 'warn', message: string): Step {
  return { state: step.state, effects: [...step.effects, { type: 'print', level, message }] };
}
