/**
 * The prompt shown when credentials are needed: what waits, for which account, what happened, and
 * every way to provide credentials as a command to copy. Pure text, never a secret.
 */
import { formatDuration } from '../config/duration.js';
import type { Attention, WaitReason } from '../supervisor/types.js';
import { formatClock } from './clock.js';
import { shellQuote } from './shell-quote.js';

const WIDTH = 80;

export interface ProfileHint {
  name: string;
  /** From the profile's config: `sso` (sso_session/sso_start_url), other, or not known. */
  kind?: 'sso' | 'other';
  roleArn?: string;
  mfaSerial?: string;
}

export interface PromptInput {
  reason: WaitReason;
  /** The operation waiting: the supervised command and its arguments. */
  command: readonly string[];
  /** Absolute path of the watched credentials file. */
  credentialsFile: string;
  profile?: ProfileHint;
  /** --expect-account, else the account of the last verified credentials. */
  expectAccount?: string;
  account?: string;
  region?: string;
  /** Keys are handled (a TTY): mention `r`. */
  interactive: boolean;
  now: number;
  timeZone?: string;
}

export function formatPrompt(input: PromptInput): string {
  const file = shellQuote(input.credentialsFile);
  const lines = [
    rule('cred-supervisor: credentials needed'),
    ...labelled('Waiting', `${formatCommand(input.command)} (starts once fresh credentials are verified)`),
    ...accountLines(input),
    ...labelled('Reason', describeReason(input.reason, input.now, input.timeZone)),
    '',
    ...wrap('Provide credentials in one of these ways:', ''),
    '',
    '  1. Write them to the credentials file (it is watched; only you may read it):',
    `       (umask 077; aws configure export-credentials${profileFlag(input.profile)} --format env > ${file})`,
    '     If the file existed before with wider permissions, also run:',
    `       chmod 600 ${file}`,
    '',
    ...ssoLines(input.profile),
    '  3. Assume a role, or start an MFA session, writing the JSON to the file:',
    `       (umask 077; ${assumeRoleCommand(input.profile)} > ${file})`,
    `       (umask 077; ${sessionTokenCommand(input.profile)} > ${file})`,
    '',
    ...wrap(
      input.interactive
        ? 'Then press r, or run `cred-supervisor reload` (a rewritten file is picked up by itself).'
        : 'A rewritten file is picked up by itself; or run `cred-supervisor reload`.',
      '',
    ),
    rule(''),
  ];
  return `${lines.join('\n')}\n`;
}

/** One line for the terminal bell's companions: tmux's message line and --notify-command. */
export function formatNotification(
  attention: Attention,
  command: readonly string[],
  timeZone?: string,
): string {
  const name = command.slice(0, 2).join(' ') || 'the command';
  if (attention.kind === 'fatal') return `cred-supervisor: ${truncate(attention.message, 200)}`;
  return `cred-supervisor: credentials needed (${shortReason(attention.reason, timeZone)}); ${name} is waiting`;
}

export function describeReason(reason: WaitReason, now: number, timeZone?: string): string {
  switch (reason.kind) {
    case 'missing':
    case 'rejected':
      return reason.detail;
    case 'expiring': {
      const left = formatDuration(Math.max(0, reason.expiresAt - now));
      return (
        `the credentials expire at ${formatClock(reason.expiresAt, timeZone)} (in ${left}) and no fresher ` +
        `ones could be had: ${reason.detail}`
      );
    }
    case 'expired': {
      const when = reason.expiresAt === null ? '' : ` at ${formatClock(reason.expiresAt, timeZone)}`;
      return `the credentials expired${when}.${reason.detail ? ` ${reason.detail}` : ''}`;
    }
    case 'revoked':
      return `STS no longer accepts the credentials (revoked or invalid).${reason.detail ? ` ${reason.detail}` : ''}`;
  }
}

function shortReason(reason: WaitReason, timeZone?: string): string {
  switch (reason.kind) {
    case 'missing':
      return 'none found';
    case 'rejected':
      return `refused: ${reason.problem}`;
    case 'expiring':
      return `expiring at ${formatClock(reason.expiresAt, timeZone)}`;
    case 'expired':
      return reason.expiresAt === null ? 'expired' : `expired at ${formatClock(reason.expiresAt, timeZone)}`;
    case 'revoked':
      return 'revoked';
  }
}

function accountLines(input: PromptInput): string[] {
  const parts: string[] = [];
  if (input.expectAccount) parts.push(`${input.expectAccount} (--expect-account)`);
  else if (input.account) parts.push(input.account);
  if (input.region) parts.push(`region ${input.region}`);
  return parts.length > 0 ? labelled('Account', parts.join(' · ')) : [];
}

function ssoLines(profile: ProfileHint | undefined): string[] {
  if (!profile) {
    return [
      '  2. With an SSO profile: log in, then write the file as in 1 with --profile',
      '     NAME (or start cred-supervisor with --profile NAME to refresh by itself):',
      '       aws sso login --profile NAME',
      '',
    ];
  }
  if (profile.kind === 'other') {
    return [
      `  2. Or refresh profile ${profile.name} the way it is set up (MFA code, credential_process),`,
      '     then press r / reload.',
      '',
    ];
  }
  const heading =
    profile.kind === 'sso' ? 'Log in again with SSO' : `If profile ${profile.name} uses SSO, log in again`;
  return [
    `  2. ${heading} (picked up by itself):`,
    `       aws sso login --profile ${shellQuote(profile.name)}`,
    '',
  ];
}

function assumeRoleCommand(profile: ProfileHint | undefined): string {
  const role = profile?.roleArn ? shellQuote(profile.roleArn) : '<role-arn>';
  const mfa = profile?.mfaSerial
    ? ` --serial-number ${shellQuote(profile.mfaSerial)} --token-code <code>`
    : '';
  return `aws sts assume-role --role-arn ${role} --role-session-name cred-supervisor${mfa} --output json`;
}

function sessionTokenCommand(profile: ProfileHint | undefined): string {
  const serial = profile?.mfaSerial ? shellQuote(profile.mfaSerial) : '<mfa-device-arn>';
  return `aws sts get-session-token --serial-number ${serial} --token-code <code> --output json`;
}

function profileFlag(profile: ProfileHint | undefined): string {
  return profile ? ` --profile ${shellQuote(profile.name)}` : '';
}

function formatCommand(command: readonly string[]): string {
  return truncate(command.map(shellQuote).join(' '), 120);
}

function rule(title: string): string {
  const head = title ? `── ${title} ` : '';
  return head + '─'.repeat(Math.max(0, WIDTH - 2 - head.length));
}

/** `Label:   text`, continuation lines aligned under the text. */
function labelled(label: string, text: string): string[] {
  const head = `${label}:`.padEnd(10);
  const [first = '', ...rest] = wrap(text, ' '.repeat(head.length), WIDTH - 2);
  return [head + first.trimStart(), ...rest];
}

/** Word-wraps prose (never the commands, which must stay copyable on one line). */
function wrap(text: string, indent: string, width = WIDTH - 2): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.trim() && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
    }
    line += line.trim() ? ` ${word}` : word;
  }
  if (line.trim()) lines.push(line);
  return lines;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
