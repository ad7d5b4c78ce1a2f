/**
 * The prompt shown when credentials are needed. It fits one screen (at most 20 lines at 80 columns,
 * long paths included): the header first and only once, what waits, the account and region, the
 * reason once (cut to three lines; the full text is in the log and `status --json`), then only the ways
 * that fit the source in use. Pure text, never a secret.
 */
import type { Attention, WaitReason } from '../supervisor/types.js';
import { formatClock } from './clock.js';
import { credentialOptionLines, type ProfileHint } from './credential-options.js';
import { shellQuote } from './shell-quote.js';
import { describeExpiry } from './status-line.js';

export type { ProfileHint } from './credential-options.js';

const WIDTH = 80;
const REASON_LINES = 3;
// A reason that holds its own fix (a chmod, a git command) may take more: it replaces the options.
const FIX_REASON_LINES = 8;

export interface PromptInput {
  reason: WaitReason;
  /** The operation waiting: the supervised command and its arguments. */
  command: readonly string[];
  /** Absolute path of the watched credentials file. */
  credentialsFile: string;
  /** The profile in use, when credentials come from one. */
  profile?: ProfileHint;
  /** --expect-account, else the account of the last verified credentials. */
  expectAccount?: string;
  account?: string;
  /** The region from the region rule, and where it came from (`AWS_REGION`, `profile dev`, `default`). */
  region?: string;
  regionFrom?: string;
  /** Keys are handled (a TTY): mention `r`. */
  interactive: boolean;
  now: number;
  timeZone?: string;
}

export function formatPrompt(input: PromptInput): string {
  const lines = [
    rule('cred-supervisor: credentials needed'),
    `Waiting:  ${waitingText(input.command)}`,
    ...labelled('Account', accountText(input)),
  ];
  const reason = describeReason(input.reason, input.now, input.timeZone);
  if (reasonCarriesItsFix(input.reason)) {
    // The file itself is the problem (permissions, git, its content): its fix, not new credentials.
    lines.push(...reasonLines(reason, FIX_REASON_LINES), '');
  } else {
    lines.push(
      ...reasonLines(reason, REASON_LINES),
      '',
      ...credentialOptionLines({
        credentialsFile: input.credentialsFile,
        ...(input.profile && { profile: input.profile }),
      }),
    );
  }
  lines.push(
    input.interactive
      ? 'Then press r, or run `npx cred-supervisor reload`.'
      : 'Then run `npx cred-supervisor reload` (a rewritten file is picked up by itself).',
    rule(''),
  );
  return `${lines.join('\n')}\n`;
}

/** How many rows `text` takes on a terminal `columns` wide (long commands wrap there). */
export function screenRows(text: string, columns = WIDTH): number {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .reduce((rows, line) => rows + Math.max(1, Math.ceil([...line].length / columns)), 0);
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
    case 'expiring':
      return (
        `the credentials ${describeExpiry(reason.expiresAt, now, timeZone)} and no fresher ` +
        `ones could be had: ${reason.detail}`
      );
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

/** Always both: "which account" and "which region" are the first things a person checks. */
function accountText(input: PromptInput): string {
  const account = input.expectAccount
    ? `${input.expectAccount} (--expect-account)`
    : (input.account ?? 'any (none verified yet)');
  const region = input.region
    ? `region ${input.region}${input.regionFrom ? ` (${input.regionFrom})` : ''}`
    : 'region not configured';
  return `${account} · ${region}`;
}

/** The reason under its label, cut to `max` lines; the full text is in the log and `status --json`. */
function reasonLines(reason: string, max: number): string[] {
  const lines = labelled('Reason', reason);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${(kept[max - 1] as string).slice(0, WIDTH - 4)}…`;
  return [...kept, `${' '.repeat(10)}(all of it: \`npx cred-supervisor status --json\`, and the log)`];
}

/** Rejections whose detail already says the fix, which fresh credentials would not bring. */
function reasonCarriesItsFix(reason: WaitReason): boolean {
  if (reason.kind !== 'rejected') return false;
  switch (reason.problem) {
    case 'unsafe':
    case 'malformed':
      return true;
    case 'missing':
    case 'expired':
    case 'invalid':
    case 'not-ready':
    case 'root':
    case 'wrong-account':
    case 'profile-failed':
    case 'network':
    case 'clock-skew':
    case 'expiring-soon':
      return false;
    case 'other-account':
      return true;
    default: {
      const never: never = reason.problem;
      throw new Error(`unknown rejection ${String(never)}`);
    }
  }
}

/** The command on one row: the "until" part only when it fits. */
function waitingText(command: readonly string[]): string {
  const room = WIDTH - 2 - 'Waiting:  '.length;
  const text = command.map(shellQuote).join(' ');
  const until = `${text}, until fresh credentials are verified`;
  return until.length <= room ? until : truncate(text, room);
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
