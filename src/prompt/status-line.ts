import { formatDuration } from '../config/duration.js';
import { DEFAULT_CHECK_SCHEDULE } from '../config/options.js';
import type { SupervisorStatus } from '../supervisor/types.js';
import { formatClock } from './clock.js';

export interface StatusLineInput {
  state: SupervisorStatus;
  account?: string | null;
  /** Epoch ms; null = credentials without an expiration. Omitted = no credentials yet. */
  expiresAt?: number | null;
  /** Temporary (ASIA…) keys: a null expiresAt means "not stated", not "never". */
  temporary?: boolean;
  now: number;
}

/** `[cred-supervisor] running · account 123456789012 · 47m left`: short, no secret, fits 80 columns. */
export function formatStatusLine(input: StatusLineInput): string {
  const parts = [`[cred-supervisor] ${input.state}`];
  if (input.account) parts.push(`account ${input.account}`);
  const left = timeLeft(input.expiresAt, input.now, input.temporary === true);
  if (left) parts.push(left);
  return parts.join(' · ');
}

function timeLeft(expiresAt: number | null | undefined, now: number, temporary: boolean): string | null {
  if (expiresAt === undefined) return null;
  if (expiresAt === null) return temporary ? 'expiry unknown' : 'no expiry';
  const ms = expiresAt - now;
  // Just "expired": with the longest state and an account id, anything more passes 80 columns; `s` has
  // the details.
  if (ms <= 0) return 'expired';
  return `${formatDuration(roundToSecond(ms))} left`;
}

// Sub-second precision is noise on a status line ("47m 12s", not "47m 12.3s" or "800ms").
function roundToSecond(ms: number): number {
  return ms < 1000 ? 1000 : Math.floor(ms / 1000) * 1000;
}

/**
 * `expire in 4m 10s (at 14:32)`, `expired 3m ago (at 14:20)`: a verb that agrees with the clock. After
 * a suspend/resume the expiry is often already past, and "expire in 0ms" read as nonsense.
 */
export function describeExpiry(expiresAt: number, now: number, timeZone?: string): string {
  const at = formatClock(expiresAt, timeZone);
  const ms = expiresAt - now;
  if (ms <= -1000) return `expired ${formatDuration(roundToSecond(-ms))} ago (at ${at})`;
  if (ms < 1000) return `expire now (at ${at})`;
  return `expire in ${formatDuration(roundToSecond(ms))} (at ${at})`;
}

export interface CountdownInput {
  expiresAt: number | null | undefined;
  /** Temporary (ASIA…) keys: a null expiresAt means "not stated", not "never". */
  temporary?: boolean;
  /** --check-schedule, to say how often unknown expiry is probed. */
  checkSchedule?: string;
  refreshBeforeMs: number;
  now: number;
  timeZone?: string;
}

/** The `s` key: when the credentials expire and when the supervisor acts, to the second. */
export function formatCountdown(input: CountdownInput): string {
  if (input.expiresAt === undefined) return 'No verified credentials yet.';
  if (input.expiresAt === null && input.temporary) {
    const every =
      input.checkSchedule === undefined || input.checkSchedule === DEFAULT_CHECK_SCHEDULE
        ? 'every minute'
        : `on --check-schedule '${input.checkSchedule}'`;
    return `Expiry unknown: probing STS ${every} (the source did not say when these temporary credentials expire).`;
  }
  if (input.expiresAt === null) return 'The credentials have no expiration (long-term keys).';
  const at = formatClock(input.expiresAt, input.timeZone);
  const ms = input.expiresAt - input.now;
  if (ms <= 0) return `The credentials expired ${formatDuration(roundToSecond(-ms))} ago (at ${at}).`;
  const refreshAt = input.expiresAt - input.refreshBeforeMs;
  const refresh =
    refreshAt > input.now ? `refresh at ${formatClock(refreshAt, input.timeZone)}` : 'refresh is due now';
  return `The credentials expire in ${formatDuration(roundToSecond(ms))} (at ${at}); ${refresh}.`;
}
