/**
 * The lines `cred-supervisor exec` prints on stderr, around the command's own output. Pure text,
 * never a secret. Short on purpose: they land between the lines of a running deploy.
 */
import { formatDuration } from '../config/duration.js';
import { exportCredentialsCommand, shellQuote, ssoLoginFixCommand } from '../credentials/fix-commands.js';
import { formatClock } from '../prompt/clock.js';
import { formatStatusLine } from '../prompt/status-line.js';

const PREFIX = 'cred-supervisor:';

/** A sentence used as a clause: without its final full stop, which the message adds. */
function clause(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

/** `cdk deploy --all`, quoted as a shell would need it, cut short when long. */
export function describeCommand(command: readonly string[]): string {
  const text = command.map(shellQuote).join(' ');
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}

export interface StartLineInput {
  account: string;
  /** Epoch ms; null for credentials without an expiration. */
  expiresAt: number | null;
  now: number;
}

/** `[cred-supervisor] running · account 123456789012 · 47m left` */
export function startLine(input: StartLineInput): string {
  return formatStatusLine({
    state: 'running',
    account: input.account,
    expiresAt: input.expiresAt,
    now: input.now,
  });
}

export interface HowToRefresh {
  credentialsFile: string;
  profile?: string | undefined;
}

function refreshWays(how: HowToRefresh): string[] {
  return [
    `  Write fresh ones to the credentials file (picked up within seconds, no restart):`,
    `    ${exportCredentialsCommand(how.credentialsFile, how.profile)}`,
    ...(how.profile ? [`  or log in again: ${ssoLoginFixCommand(how.profile)}`] : []),
  ];
}

export interface CannotRefreshInput extends HowToRefresh {
  command: readonly string[];
  expiresAt: number;
  now: number;
  /** Why nothing fresher could be had. */
  detail: string;
  timeZone?: string;
}

/** Printed once, when --refresh-before is reached and nothing fresher can be had. */
export function cannotRefreshWarning(input: CannotRefreshInput): string {
  const left = formatDuration(Math.max(0, input.expiresAt - input.now));
  return [
    `${PREFIX} ⚠ the credentials expire at ${formatClock(input.expiresAt, input.timeZone)} (in ${left}) and no ` +
      `fresher ones could be had: ${clause(input.detail)}.`,
    `  \`${describeCommand(input.command)}\` keeps running and fails once they expire, unless:`,
    ...refreshWays(input),
  ].join('\n');
}

export interface RefreshedInput {
  account: string;
  expiresAt: number | null;
  now: number;
  sourceDescription: string;
}

export function refreshedLine(input: RefreshedInput): string {
  return `${startLine(input)} · fresh credentials from ${input.sourceDescription}, served without a restart`;
}

export function candidateRefusedLine(detail: string): string {
  return `${PREFIX} ${clause(detail)}; still serving the credentials in use.`;
}

export interface ExpiredInput extends HowToRefresh {
  command: readonly string[];
  expiresAt: number;
  timeZone?: string;
}

export function expiredLine(input: ExpiredInput): string {
  return [
    `${PREFIX} ✖ the credentials expired at ${formatClock(input.expiresAt, input.timeZone)}: AWS calls of ` +
      `\`${describeCommand(input.command)}\` fail until fresh ones arrive.`,
    ...refreshWays(input),
  ].join('\n');
}

export interface EnvDeliveryInput extends HowToRefresh {
  command: readonly string[];
  expiresAt: number;
  now: number;
  refreshBeforeMs: number;
  timeZone?: string;
}

/** `--delivery env` cannot hand a running command new credentials: say so when time is short. */
export function envDeliveryWarning(input: EnvDeliveryInput): string {
  const left = formatDuration(Math.max(0, input.expiresAt - input.now));
  return [
    `${PREFIX} ⚠ the credentials expire at ${formatClock(input.expiresAt, input.timeZone)} (in ${left}), sooner ` +
      `than --refresh-before (${formatDuration(input.refreshBeforeMs)}), and --delivery env cannot refresh a ` +
      `running command: if \`${describeCommand(input.command)}\` runs longer, its AWS calls fail.`,
    '  Use --delivery endpoint (the default), or get fresh credentials first:',
    `    ${exportCredentialsCommand(input.credentialsFile, input.profile)}`,
  ].join('\n');
}

/** One line for the bell's companions (tmux's message line, --notify-command). */
export function notificationText(command: readonly string[], expiresAt: number, timeZone?: string): string {
  return (
    `cred-supervisor: credentials for \`${describeCommand(command.slice(0, 2))}\` expire at ` +
    `${formatClock(expiresAt, timeZone)}; write fresh ones to the credentials file`
  );
}

/** The command outlived SIGTERM/SIGHUP by --stop-grace. */
export function killedLine(afterMs: number): string {
  return `${PREFIX} the command was still running ${formatDuration(afterMs)} after the stop signal: sent SIGKILL.`;
}
