/**
 * What happens to one child of a multi-process `watch` when it exits on its own: restarted after its
 * own backoff, left exited, or `fatal` (a crash loop, or a command that cannot be started). Pure; the
 * crash pacing is the supervisor's one rule (supervisor/backoff.ts), applied per child here so one
 * child's crash loop never stops the others.
 */
import { type BackoffPolicy, type CrashHistory, recordCrash } from '../supervisor/backoff.js';
import type { RestartPolicy } from './process-spec.js';

/** `sh -c` answers 127 when the command is not found and 126 when it cannot be executed. */
const NOT_FOUND = 127;
const NOT_EXECUTABLE = 126;

export interface ChildExitFacts {
  name: string;
  code: number | null;
  signal: string | null;
  restart: RestartPolicy;
  history: CrashHistory;
  now: number;
  ranForMs: number;
}

export type ChildExitPlan =
  | { kind: 'restart'; delayMs: number; history: CrashHistory; message: string }
  | { kind: 'exited'; message: string }
  | { kind: 'fatal'; message: string };

function describeExit(code: number | null, signal: string | null): string {
  return signal ? `was ended by ${signal}` : `exited with code ${code}`;
}

export function planChildExit(facts: ChildExitFacts, policy: BackoffPolicy): ChildExitPlan {
  const { name, code, signal } = facts;
  const how = describeExit(code, signal);
  if (code === NOT_FOUND || code === NOT_EXECUTABLE) {
    const what = code === NOT_FOUND ? 'its command was not found' : 'its command cannot be executed';
    return {
      kind: 'fatal',
      message: `\`${name}\` could not start: ${what} (exit ${code}). Fix its line, then \`cred-supervisor restart ${name}\`; the other processes keep running.`,
    };
  }
  const failed = signal !== null || code !== 0;
  if (!wantsRestart(facts.restart, failed)) {
    return { kind: 'exited', message: `\`${name}\` ${how}; not restarted (restart: ${facts.restart}).` };
  }
  const verdict = recordCrash(facts.history, { now: facts.now, ranForMs: facts.ranForMs }, policy);
  if (verdict.crashLoop) {
    return {
      kind: 'fatal',
      message: `\`${name}\` ${how} ${verdict.history.times.length} times in a row; not restarting it. Fix it, then \`cred-supervisor restart ${name}\`; the other processes keep running.`,
    };
  }
  return {
    kind: 'restart',
    delayMs: verdict.delayMs,
    history: verdict.history,
    message: `\`${name}\` ${how}; restarting it in ${Math.round(verdict.delayMs / 100) / 10} s.`,
  };
}

function wantsRestart(policy: RestartPolicy, failed: boolean): boolean {
  switch (policy) {
    case 'always':
      return true;
    case 'on-failure':
      return failed;
    case 'never':
      return false;
    default: {
      const unknown: never = policy;
      throw new Error(`Unknown restart policy ${String(unknown)}`);
    }
  }
}
