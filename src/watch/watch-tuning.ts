/**
 * Knobs for tests and benchmarks only, read from the environment: not user settings, not in --help.
 * The crash backoff's real pace (1 s, 2 s, 4 s … five crashes to `fatal`) would make a crash-loop test
 * take 15 s; a test sets a shorter first delay and the whole policy scales with it. The endpoint's
 * 60 s lease would make a rotation take a minute to reach an SDK child; a test shortens it.
 */
import { UsageError } from '../cli/errors.js';
import { type BackoffPolicy, DEFAULT_BACKOFF_POLICY } from '../supervisor/backoff.js';

export const RESTART_BACKOFF_VARIABLE = 'CRED_SUPERVISOR_BACKOFF_MS';

/**
 * The credential endpoint's advertised lease in milliseconds, i.e. how soon after each fetch an SDK
 * child asks again. Production keeps the 60 s default; tests shorten it so a rotation reaches the
 * child in a fraction of a second.
 */
export const LEASE_MS_VARIABLE = 'CRED_SUPERVISOR_LEASE_MS';

/** A positive whole number of milliseconds from `name`; undefined when unset. */
function millisecondsFrom(env: NodeJS.ProcessEnv, name: string, defaultMs: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(
      `Expected \`${name}\` to be a positive whole number of milliseconds, got \`${text}\`. Unset it to use the default (${defaultMs}).`,
    );
  }
  return Number(text);
}

/** The default policy scaled so that its first delay is `CRED_SUPERVISOR_BACKOFF_MS`; undefined when unset. */
export function backoffFromEnv(env: NodeJS.ProcessEnv): BackoffPolicy | undefined {
  const initialDelayMs = millisecondsFrom(
    env,
    RESTART_BACKOFF_VARIABLE,
    DEFAULT_BACKOFF_POLICY.initialDelayMs,
  );
  if (initialDelayMs === undefined) return undefined;
  const scale = initialDelayMs / DEFAULT_BACKOFF_POLICY.initialDelayMs;
  return {
    ...DEFAULT_BACKOFF_POLICY,
    initialDelayMs,
    maxDelayMs: Math.round(DEFAULT_BACKOFF_POLICY.maxDelayMs * scale),
    stableAfterMs: Math.round(DEFAULT_BACKOFF_POLICY.stableAfterMs * scale),
  };
}

/** The endpoint's lease from `CRED_SUPERVISOR_LEASE_MS`; undefined when unset (the 60 s default). */
export function leaseMsFrom(env: NodeJS.ProcessEnv): number | undefined {
  return millisecondsFrom(env, LEASE_MS_VARIABLE, 60_000);
}
