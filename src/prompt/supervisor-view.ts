/**
 * What `watch` says about itself, as text: the status line, the `s` countdown, the --refresh-before
 * warning, the prompt. Pure: the orchestrator passes the machine's state and the facts read at start.
 */
import type { SupervisorState, WaitReason } from '../supervisor/types.js';
import { formatPrompt, type ProfileHint } from './prompt-text.js';
import { describeExpiry, formatCountdown, formatStatusLine } from './status-line.js';

export const PREFIX = '[cred-supervisor]';

export interface ViewFacts {
  command: readonly string[];
  credentialsFile: string;
  refreshBeforeMs: number;
  /** --check-schedule, to say how often credentials of unknown expiry are probed. */
  checkSchedule: string;
  interactive: boolean;
  region: string | undefined;
  expectAccount: string | undefined;
  profileHint: ProfileHint | undefined;
  /** Where fresher credentials are looked for. */
  sourceDescription: string;
}

export function statusLine(state: SupervisorState, now: number): string {
  const credentials = state.credentials;
  // Credentials STS refused have no time left, whatever their expiration says ("59m left" next to
  // "waiting-for-credentials" read as a contradiction).
  const timeLeft = credentials && !state.credentialsBroken;
  return formatStatusLine({
    state: state.status,
    account: credentials?.account ?? null,
    ...(timeLeft ? { expiresAt: credentials.expiresAt, temporary: credentials.temporary === true } : {}),
    now,
  });
}

/** The `s` key: the status line, then when the credentials expire and when the supervisor acts. */
export function countdownLines(state: SupervisorState, facts: ViewFacts, now: number): string[] {
  if (state.credentialsBroken) {
    return [
      statusLine(state, now),
      `${PREFIX} STS no longer accepts the credentials in use (${state.credentialsBroken}); waiting for fresh ones.`,
    ];
  }
  const countdown = formatCountdown({
    expiresAt: state.credentials ? state.credentials.expiresAt : undefined,
    temporary: state.credentials?.temporary === true,
    checkSchedule: facts.checkSchedule,
    refreshBeforeMs: facts.refreshBeforeMs,
    now,
  });
  return [statusLine(state, now), `${PREFIX} ${countdown}`];
}

export function expiringWarning(expiresAt: number, facts: ViewFacts, now: number): string {
  return `credentials ${describeExpiry(expiresAt, now)}; looking for fresher ones in ${facts.sourceDescription}`;
}

export function promptText(
  state: SupervisorState,
  reason: WaitReason,
  facts: ViewFacts,
  now: number,
): string {
  return formatPrompt({
    reason,
    command: facts.command,
    credentialsFile: facts.credentialsFile,
    ...(facts.profileHint ? { profile: facts.profileHint } : {}),
    ...(facts.expectAccount ? { expectAccount: facts.expectAccount } : {}),
    ...(state.credentials ? { account: state.credentials.account } : {}),
    ...(facts.region ? { region: facts.region } : {}),
    interactive: facts.interactive,
    now,
  });
}

export const OUTPUT_HELD_WARNING =
  "The command's process group is gone, but a process it detached (setsid, a daemon) still holds its output; no longer reading it. That process was not stopped.";
