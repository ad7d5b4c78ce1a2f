/**
 * What `watch` says about itself, as text: the status line, the `s` countdown, the --refresh-before
 * warning, the prompt and what the log keeps of it, the notification. Pure: the orchestrator passes
 * the machine's state and the facts read at start.
 */
import type { SupervisorOptions } from '../config/options.js';
import { type ChildStatusJson, childLines } from '../control/status.js';
import type { AmbientContext } from '../credentials/ambient-context.js';
import type { Attention, SupervisorState, WaitReason } from '../supervisor/types.js';
import { describeReason, formatNotification, formatPrompt, type ProfileHint } from './prompt-text.js';
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

/** The facts the text needs, from the settings, the ambient context read at start and the moment. */
export function viewFacts(
  settings: {
    options: Pick<
      SupervisorOptions,
      'credentialsFile' | 'refreshBeforeMs' | 'checkSchedule' | 'expectAccount'
    >;
    command: readonly string[];
    interactive: boolean;
  },
  ambient: Pick<AmbientContext, 'profileHint' | 'sourceDescription'> | undefined,
  now: { region: string | undefined; ssoLoginInProgress: boolean },
): ViewFacts {
  const { options, command, interactive } = settings;
  const hint = ambient?.profileHint;
  return {
    command,
    credentialsFile: options.credentialsFile,
    refreshBeforeMs: options.refreshBeforeMs,
    checkSchedule: options.checkSchedule,
    interactive,
    region: now.region,
    expectAccount: options.expectAccount,
    // An SSO login launched for this supervisor waits for the person: the prompt asks for no other.
    profileHint: hint && now.ssoLoginInProgress ? { ...hint, loginInProgress: true } : hint,
    sourceDescription: ambient?.sourceDescription ?? options.credentialsFile,
  };
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

/**
 * The `s` key: the status line, then when the credentials expire and when the supervisor acts; with a
 * Procfile, every process as `cred-supervisor status` lists them.
 */
export function countdownLines(
  state: SupervisorState,
  facts: ViewFacts,
  now: number,
  children: readonly ChildStatusJson[] = [],
): string[] {
  return [...credentialCountdown(state, facts, now), ...childLines(children, new Date(now))];
}

function credentialCountdown(state: SupervisorState, facts: ViewFacts, now: number): string[] {
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

/** The prompt's reason in full, for the log: the prompt cuts a long one to fit the screen. */
export function promptLogFields(reason: WaitReason, now: number) {
  return { event: 'credentials-needed', reason: reason.kind, detail: describeReason(reason, now) };
}

/** The bell / tmux message / --notify-command text when the person is needed. */
export function notificationText(attention: Attention, facts: Pick<ViewFacts, 'command'>): string {
  return formatNotification(attention, facts.command);
}

export const OUTPUT_HELD_WARNING =
  "The command's process group is gone, but a process it detached (setsid, a daemon) still holds its output; no longer reading it. That process was not stopped.";
