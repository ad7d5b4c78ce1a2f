/**
 * Knobs for tests and benchmarks only, read from the environment: not user settings, not in --help.
 * The crash backoff's real pace (1 s, 2 s, 4 s … five crashes to `fatal`) would make a crash-loop test
 * take 15 s; a test sets a shorter first delay and the whole policy scales with it.
 */

import { UsageError } from '../cli/errors.js';
import { type BackoffPolicy, DEFAULT_BACKOFF_POLICY } from '../supervisor/backoff.js';

export const RESTART_BACKOFF_VARIABLE = 'CRED_SUPERVISOR_BACKOFF_MS';

/** The default policy scaled so that its first delay is `CRED_SUPERVISOR_BACKOFF_MS`; undefined when unset. */
export function backoffFromEnv(env: NodeJS.ProcessEnv): BackoffPolicy | undefined {
  const text = env[RESTART_BACKOFF_VARIABLE];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(
      `Expected \`${RESTART_BACKOFF_VARIABLE}\` to be a positive whole number of milliseconds, got \`${text}\`. Unset it to use the default (${DEFAULT_BACKOFF_POLICY.initialDelayMs}).`,
    );
  }
  const scale = Number(text) / DEFAULT_BACKOFF_POLICY.initialDelayMs;
  return {
    ...DEFAULT_BACKOFF_POLICY,
    initialDelayMs: Number(text),
    maxDelayMs: Math.round(DEFAULT_BACKOFF_POLICY.maxDelayMs * scale),
    stableAfterMs: Math.round(DEFAULT_BACKOFF_POLICY.stableAfterMs * scale),
  };
}
