/**
 * The checklist `check` prints, as text and as the `--json` object. Pure: the caller decides colour.
 *
 * `--json` keys (stable; a fact that is not known is `null`, never absent):
 *   ok              boolean: the credentials work and are allowed
 *   status          "ok" | "expired" | "invalid" | "missing" | "network" | "root" | "wrong-account" | "error"
 *   account, arn, userId   the caller identity (also on root / wrong-account refusals)
 *   region, regionFrom     the region and where it came from ("option", "credentials-file", "AWS_REGION",
 *                          "AWS_DEFAULT_REGION", "profile", "default")
 *   credentialType  "temporary" | "long-term"
 *   expiresAt       ISO 8601, when the source said
 *   timeLeftMs      expiresAt minus now (negative once expired)
 *   source          {kind: "file"|"profile"|"env", description, path, profile}
 *   expectAccount   the account required by --expect-account
 *   warnings        strings, e.g. the long-term key warning
 *   problem         {reason, code, message, fix} when not ok
 *   credentialRoute {kind: "endpoint"|"profile"|"restart", why} for the command `watch` would run
 */

import type { CredentialRoute } from '../compat/credential-route.js';
import { formatDuration } from '../config/duration.js';
import type { CredentialProblemCode } from '../credentials/errors.js';
import type { CredentialSource } from '../credentials/types.js';
import { type ProvideCredentialsHintInput, provideCredentialsHint } from './provide-credentials-hint.js';
import {
  type ChosenRegion,
  describeRegionOrigin,
  fallbackRegionWarning,
  type RegionOrigin,
} from './region.js';
import { isRefusal, type VerificationFailureReason, type VerificationResult } from './verification-result.js';

export interface ChecklistFacts {
  result: VerificationResult;
  region: ChosenRegion;
  /** Where the credentials came from; absent when none could be resolved. */
  source?: CredentialSource | undefined;
  /** What the sources said besides the credentials: a source skipped and why, ignored lines. */
  sourceNotes?: readonly string[] | undefined;
  /** What is known about the keys when verification failed after they were resolved. */
  keys?: { temporary: boolean; expiresAt?: Date | undefined } | undefined;
  expectAccount?: string | undefined;
  /** Inputs for the "how to provide credentials" text shown after credentials failures. */
  hint: ProvideCredentialsHintInput;
  now: Date;
  /** How the command `watch` would run gets credentials (compat/credential-route.ts). */
  route?: CredentialRoute | undefined;
}

export interface ChecklistJson {
  ok: boolean;
  status: 'ok' | VerificationFailureReason;
  account: string | null;
  arn: string | null;
  userId: string | null;
  region: string;
  regionFrom: RegionOrigin;
  credentialType: 'temporary' | 'long-term' | null;
  expiresAt: string | null;
  timeLeftMs: number | null;
  source: {
    kind: CredentialSource['kind'];
    description: string;
    path: string | null;
    profile: string | null;
  } | null;
  expectAccount: string | null;
  sourceNotes: string[];
  warnings: string[];
  problem: { reason: VerificationFailureReason; code: string | null; message: string; fix: string } | null;
  credentialRoute: { kind: CredentialRoute['kind']; why: string } | null;
}

export const LONG_TERM_WARNING =
  'Long-term access key (AKIA…): less secure than temporary credentials. Prefer temporary ones: `aws sso login`, or an assumed role written to the credentials file.';
export const UNKNOWN_EXPIRY_WARNING =
  'Temporary credentials without a stated expiration: time left is unknown; the supervisor will find out by probing STS.';

/**
 * Credential problems that carry their own, precise fix (the file's permissions or git status, its
 * content, the profile's set-up or login): the general ways to provide credentials would only bury it.
 */
const SELF_CONTAINED_FIXES = new Set<string>([
  'UNSAFE_PERMISSIONS',
  'TRACKED_BY_GIT',
  'NOT_A_FILE',
  'TOO_LARGE',
  'MALFORMED',
  'MISSING_FIELD',
  'PROFILE_FAILED',
  'SSO_EXPIRED',
  'MFA_REQUIRED',
] satisfies CredentialProblemCode[]);

/** Reasons after which fresh credentials are the answer (not the network, not a bug). */
const NEEDS_CREDENTIALS = new Set<VerificationFailureReason>([
  'expired',
  'invalid',
  'missing',
  'root',
  'wrong-account',
]);

function keyFacts(facts: ChecklistFacts): { temporary: boolean; expiresAt?: Date | undefined } | undefined {
  return facts.result.ok
    ? { temporary: facts.result.temporary, expiresAt: facts.result.expiresAt }
    : facts.keys;
}

export function checklistWarnings(facts: ChecklistFacts): string[] {
  const keys = keyFacts(facts);
  if (!facts.result.ok || !keys) return [];
  if (!keys.temporary) return [LONG_TERM_WARNING];
  if (!keys.expiresAt) return [UNKNOWN_EXPIRY_WARNING];
  return [];
}

export function checklistJson(facts: ChecklistFacts): ChecklistJson {
  const { result, source } = facts;
  const identity = result.ok ? result : result.identity;
  const keys = keyFacts(facts);
  const expiresAt = keys?.expiresAt;
  return {
    ok: result.ok,
    status: result.ok ? 'ok' : result.reason,
    account: identity?.account ?? null,
    arn: identity?.arn ?? null,
    userId: identity?.userId ?? null,
    region: facts.region.region,
    regionFrom: facts.region.from,
    credentialType: keys ? (keys.temporary ? 'temporary' : 'long-term') : null,
    expiresAt: expiresAt?.toISOString() ?? null,
    timeLeftMs: expiresAt ? expiresAt.getTime() - facts.now.getTime() : null,
    source: source
      ? {
          kind: source.kind,
          description: source.description,
          path: source.path ?? null,
          profile: source.profile ?? null,
        }
      : null,
    sourceNotes: [...(facts.sourceNotes ?? [])],
    expectAccount: facts.expectAccount ?? null,
    warnings: checklistWarnings(facts),
    problem: result.ok
      ? null
      : { reason: result.reason, code: result.code ?? null, message: result.message, fix: result.fix },
    credentialRoute: facts.route ? { kind: facts.route.kind, why: facts.route.why } : null,
  };
}

function routeRow(facts: ChecklistFacts, color: boolean): string[] {
  const route = facts.route;
  if (!route) return [];
  const mark = route.kind === 'restart' ? 'warn' : 'info';
  return [row(mark, 'Command gets', `${route.kind}: ${route.why}`, color)];
}

export type Mark = 'ok' | 'warn' | 'fail' | 'info';
const MARKS: Record<Mark, { symbol: string; color: number }> = {
  ok: { symbol: '✔', color: 32 },
  warn: { symbol: '⚠', color: 33 },
  fail: { symbol: '✖', color: 31 },
  info: { symbol: '•', color: 2 },
};

function paint(text: string, code: number, color: boolean): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

const LABEL_WIDTH = 12;

export function row(mark: Mark, label: string, value: string, color: boolean): string {
  const { symbol, color: code } = MARKS[mark];
  return `${paint(symbol, code, color)} ${label.padEnd(LABEL_WIDTH)} ${value}`;
}

/** Continuation line aligned under the value column. */
function more(text: string): string {
  return `${' '.repeat(LABEL_WIDTH + 3)}${text}`;
}

function sourceValue(source: CredentialSource | undefined): string {
  if (!source) return 'none found';
  return source.kind === 'file'
    ? `credentials file ${source.path ?? source.description}`
    : source.description;
}

function timeLeftRow(facts: ChecklistFacts, color: boolean): string {
  const keys = keyFacts(facts);
  if (!keys) return row('info', 'Time left', 'unknown', color);
  if (!keys.temporary && !keys.expiresAt) return row('info', 'Time left', 'no expiry (long-term key)', color);
  if (!keys.expiresAt)
    return row('warn', 'Time left', 'unknown: the source did not say when they expire', color);
  const left = keys.expiresAt.getTime() - facts.now.getTime();
  const at = keys.expiresAt.toISOString();
  if (left <= 0) return row('fail', 'Time left', `none: expired ${formatDuration(-left)} ago (${at})`, color);
  return row(facts.result.ok ? 'ok' : 'info', 'Time left', `${formatDuration(left)} (until ${at})`, color);
}

function regionRow(facts: ChecklistFacts, color: boolean): string {
  const { region } = facts.region;
  const warning = fallbackRegionWarning(facts.region);
  if (warning) return row('warn', 'Region', `${region} (${warning})`, color);
  return row(
    facts.result.ok ? 'ok' : 'info',
    'Region',
    `${region} (${describeRegionOrigin(facts.region)})`,
    color,
  );
}

function accountValue(account: string, expectAccount: string | undefined): string {
  if (!expectAccount) return account;
  return account === expectAccount ? `${account} (as expected)` : `${account} (expected ${expectAccount})`;
}

export function formatChecklist(facts: ChecklistFacts, { color = false }: { color?: boolean } = {}): string {
  const { result } = facts;
  const lines: string[] = [];
  if (result.ok) {
    lines.push(row('ok', 'Account', accountValue(result.account, facts.expectAccount), color));
    lines.push(row('ok', 'Identity', result.arn, color));
    lines.push(regionRow(facts, color));
    if (result.temporary) lines.push(row('ok', 'Credentials', 'temporary (session credentials)', color));
    else {
      lines.push(
        row('warn', 'Credentials', 'long-term access key (AKIA…): less secure than temporary ones', color),
      );
      lines.push(
        more('Prefer temporary credentials: `aws sso login`, or an assumed role written to the file.'),
      );
    }
    lines.push(timeLeftRow(facts, color));
    lines.push(row('ok', 'Source', sourceValue(facts.source), color));
    for (const note of facts.sourceNotes ?? []) lines.push(more(note));
    lines.push(...routeRow(facts, color));
    lines.push('', paint('Credentials OK.', 32, color));
    return `${lines.join('\n')}\n`;
  }

  const title = isRefusal(result) ? 'Refused' : result.reason === 'network' ? 'STS' : 'Credentials';
  lines.push(row('fail', title, result.message, color));
  if (result.identity) {
    lines.push(row('info', 'Account', accountValue(result.identity.account, facts.expectAccount), color));
    lines.push(row('info', 'Identity', result.identity.arn, color));
  }
  lines.push(regionRow(facts, color));
  // Only when the stated expiry explains the failure: next to "STS says expired", a stated 40 minutes
  // left would only confuse.
  const expiresAt = facts.keys?.expiresAt;
  if (expiresAt && expiresAt.getTime() <= facts.now.getTime()) lines.push(timeLeftRow(facts, color));
  lines.push(row('info', 'Source', sourceValue(facts.source), color));
  for (const note of facts.sourceNotes ?? []) lines.push(more(note));
  lines.push(...routeRow(facts, color));
  // One answer, not two: a problem with its own fix (git tracking, permissions, a malformed file) gets
  // that fix alone; a need for fresh credentials gets the ways to provide them (and, for a refusal,
  // what was refused).
  const ways = NEEDS_CREDENTIALS.has(result.reason) && !SELF_CONTAINED_FIXES.has(result.code ?? '');
  if (!ways || isRefusal(result)) lines.push('', `Fix: ${result.fix}`);
  if (ways) lines.push('', provideCredentialsHint(facts.hint));
  return `${lines.join('\n')}\n`;
}
