import { formatDuration } from '../config/duration.js';
import { isInteger, isOneOf, isRecord, isStringOrNull, shape } from './shape.js';

/**
 * The states `status --json` reports (docs/usage.md, "Background and team use"): the public face of the
 * machine's whole state (`SupervisorState` in supervisor/types.ts), hence the different name.
 */
export const SUPERVISOR_STATES = [
  'starting', // verifying credentials and spawning (first start, or a restart with fresh credentials)
  'running', // the child runs with credentials that were verified
  'waiting-for-credentials', // no usable credentials: the child is stopped and the prompt is shown
  'stopping', // the supervisor is shutting down (stop request, or the child exited cleanly)
  'backoff', // the child crashed; a restart is scheduled
  'fatal', // a crash loop or a command that cannot be spawned; needs the person
  'stopped', // the supervisor is done (an `exit` effect was emitted)
] as const;
export type PublicState = (typeof SUPERVISOR_STATES)[number];

/**
 * What `status --json` prints, exactly the product spec's shape. Unknown facts are null. Never holds
 * a secret: `source` is a description such as `.cred-supervisor/credentials` or `profile dev`.
 */
export interface StatusSnapshot {
  state: PublicState;
  /** The supervisor's pid. */
  pid: number;
  child: {
    pid: number | null;
    restarts: number;
    /** ISO 8601. */
    startedAt: string | null;
  };
  credentials: {
    account: string | null;
    arn: string | null;
    /** ISO 8601. */
    expiresAt: string | null;
    source: string | null;
  };
  /** Added to the spec's shape: the region the child gets and where it came from (`from AWS_REGION`). */
  region?: StatusRegion | undefined;
  lastError: string | null;
  /** The SSO session behind an SSO profile; null (or absent, from an older supervisor) otherwise. */
  sso?: SsoStatusJson | null;
  /** Only with several commands (`--procfile`, config `processes`): each one, in declaration order. */
  children?: ChildStatusJson[];
}

export const REFRESH_TOKEN_STATES = ['works', 'session-ended', 'none', 'not-checked', 'unreachable'] as const;

/** `status --json`'s `sso`: times and states only, never a token or the login's code. */
export interface SsoStatusJson {
  /** The `sso_session` name; null for a legacy profile (start URL on the profile). */
  session: string | null;
  /** ISO 8601. */
  tokenExpiresAt: string | null;
  /** ISO 8601: when the cached token was last written (a login or a refresh). */
  lastRefresh: string | null;
  refreshToken: (typeof REFRESH_TOKEN_STATES)[number];
  loginInProgress: boolean;
}

export const CHILD_RUN_STATES = ['starting', 'running', 'backoff', 'exited', 'fatal', 'stopped'] as const;

/** One process of a Procfile in `status --json`. */
export interface ChildStatusJson {
  name: string;
  pid: number | null;
  pgid: number | null;
  state: (typeof CHILD_RUN_STATES)[number];
  restarts: number;
  /** ISO 8601. */
  startedAt: string | null;
}

function isChildStatus(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    (value.pid === null || isInteger(value.pid)) &&
    (value.pgid === null || isInteger(value.pgid)) &&
    isOneOf(CHILD_RUN_STATES, value.state) &&
    isInteger(value.restarts) &&
    value.restarts >= 0 &&
    isStringOrNull(value.startedAt)
  );
}

export interface StatusRegion {
  name: string;
  from: string;
}

export const statusSnapshotSchema = shape<StatusSnapshot>((value) => {
  if (!isRecord(value) || !isOneOf(SUPERVISOR_STATES, value.state) || !isInteger(value.pid)) return undefined;
  const { child, credentials, lastError } = value;
  if (!isRecord(child) || !isRecord(credentials) || !isStringOrNull(lastError)) return undefined;
  const childOk =
    (child.pid === null || isInteger(child.pid)) &&
    isInteger(child.restarts) &&
    child.restarts >= 0 &&
    isStringOrNull(child.startedAt);
  const { account, arn, expiresAt, source } = credentials;
  const credentialsOk = [account, arn, expiresAt, source].every(isStringOrNull);
  if (!childOk || !credentialsOk) return undefined;
  // Optional: a supervisor of an older version does not send it.
  const { region } = value;
  const regionOk =
    region === undefined ||
    (isRecord(region) && typeof region.name === 'string' && typeof region.from === 'string');
  if (!regionOk) return undefined;
  // Optional too (null for a profile that is not an SSO one).
  const { sso } = value;
  const ssoOk =
    sso === undefined ||
    sso === null ||
    (isRecord(sso) &&
      isStringOrNull(sso.session) &&
      isStringOrNull(sso.tokenExpiresAt) &&
      isStringOrNull(sso.lastRefresh) &&
      isOneOf(REFRESH_TOKEN_STATES, sso.refreshToken) &&
      typeof sso.loginInProgress === 'boolean');
  if (!ssoOk) return undefined;
  const { children } = value;
  if (children !== undefined && !(Array.isArray(children) && children.every(isChildStatus))) return undefined;
  return toStatusJson(value as unknown as StatusSnapshot);
});

/**
 * A copy with exactly the spec's keys in the spec's order: whatever else the caller's object
 * carries does not leak into `status --json`.
 */
export function toStatusJson(snapshot: StatusSnapshot): StatusSnapshot {
  return {
    state: snapshot.state,
    pid: snapshot.pid,
    child: {
      pid: snapshot.child.pid,
      restarts: snapshot.child.restarts,
      startedAt: snapshot.child.startedAt,
    },
    credentials: {
      account: snapshot.credentials.account,
      arn: snapshot.credentials.arn,
      expiresAt: snapshot.credentials.expiresAt,
      source: snapshot.credentials.source,
    },
    ...(snapshot.region ? { region: { name: snapshot.region.name, from: snapshot.region.from } } : {}),
    lastError: snapshot.lastError,
    sso: snapshot.sso
      ? {
          session: snapshot.sso.session,
          tokenExpiresAt: snapshot.sso.tokenExpiresAt,
          lastRefresh: snapshot.sso.lastRefresh,
          refreshToken: snapshot.sso.refreshToken,
          loginInProgress: snapshot.sso.loginInProgress,
        }
      : null,
    ...(snapshot.children
      ? {
          children: snapshot.children.map((c) => ({
            name: c.name,
            pid: c.pid,
            pgid: c.pgid,
            state: c.state,
            restarts: c.restarts,
            startedAt: c.startedAt,
          })),
        }
      : {}),
  };
}

/** The snapshot of a supervisor that has just started and knows nothing yet. */
export function initialStatus(pid: number = process.pid): StatusSnapshot {
  return {
    state: 'starting',
    pid,
    child: { pid: null, restarts: 0, startedAt: null },
    credentials: { account: null, arn: null, expiresAt: null, source: null },
    lastError: null,
  };
}

function millisUntil(iso: string | null, now: Date): number | null {
  if (iso === null) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at - now.getTime();
}

/** The multi-line answer of `cred-supervisor status`. */
export function formatStatusHuman(snapshot: StatusSnapshot, now: Date = new Date()): string {
  const { child, credentials } = snapshot;
  const lines = [`cred-supervisor: ${snapshot.state} (pid ${snapshot.pid})`];

  const restarts = `restarted ${child.restarts} ${child.restarts === 1 ? 'time' : 'times'}`;
  if (child.pid === null) {
    lines.push(`  child:        not running, ${restarts}`);
  } else {
    const uptime = millisUntil(child.startedAt, now);
    const up = uptime === null ? '' : `, up ${formatDuration(Math.max(0, -uptime))}`;
    lines.push(`  child:        pid ${child.pid}${up}, ${restarts}`);
  }

  if (credentials.account === null) {
    lines.push('  account:      unknown');
  } else {
    const arn = credentials.arn === null ? '' : ` (${credentials.arn})`;
    lines.push(`  account:      ${credentials.account}${arn}`);
  }

  const from = credentials.source === null ? '' : `, from ${credentials.source}`;
  const left = millisUntil(credentials.expiresAt, now);
  if (left === null) {
    lines.push(`  credentials:  ${credentials.source === null ? 'none yet' : `no expiry known${from}`}`);
  } else if (left > 0) {
    lines.push(`  credentials:  expire in ${formatDuration(left)} (${credentials.expiresAt})${from}`);
  } else {
    lines.push(`  credentials:  expired ${formatDuration(-left)} ago (${credentials.expiresAt})${from}`);
  }

  if (snapshot.region) lines.push(`  region:       ${snapshot.region.name} (${snapshot.region.from})`);
  for (const line of childLines(snapshot.children ?? [], now)) lines.push(line);

  if (snapshot.state === 'waiting-for-credentials') {
    lines.push('  waiting for fresh credentials: see the supervisor terminal for how to provide them');
  }
  if (snapshot.lastError !== null) lines.push(`  last error:   ${snapshot.lastError}`);
  return `${lines.join('\n')}\n`;
}

/** One line per process of a Procfile, names padded so the columns line up (`status`, the `s` key). */
export function childLines(children: readonly ChildStatusJson[], now: Date): string[] {
  const width = Math.max(0, ...children.map((c) => c.name.length));
  return children.map((c) => {
    const uptime = c.pid === null ? null : millisUntil(c.startedAt, now);
    const up = uptime === null ? '' : `, up ${formatDuration(Math.max(0, -uptime))}`;
    const pid = c.pid === null ? '' : ` pid ${c.pid} pgid ${c.pgid}${up},`;
    const restarts = `restarted ${c.restarts} ${c.restarts === 1 ? 'time' : 'times'}`;
    return `  ${c.name.padEnd(width)} ${c.state}${pid.startsWith(' ') ? pid : ','} ${restarts}`;
  });
}

export interface TmuxFormatOptions {
  /** Plain ASCII for terminals or fonts without the symbols. */
  ascii?: boolean;
}

const SYMBOLS = {
  unicode: { cloud: '☁', warn: '⚠', fatal: '✖', ellipsis: '…' },
  ascii: { cloud: 'aws', warn: '!!', fatal: 'XX', ellipsis: '..' },
};

/** `1h05m`, `42m`, `59s`: as short as tmux's status-right needs. */
function shortDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes >= 60) return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
  if (minutes >= 1) return `${minutes}m`;
  return `${Math.max(0, Math.floor(ms / 1000))}s`;
}

/**
 * A short segment for tmux's `status-right`: `☁ 1234…9012 42m` while running, `⚠ creds!` when the
 * supervisor waits for credentials, so the pane that needs attention is visible from any window.
 */
export function formatStatusTmux(
  snapshot: StatusSnapshot,
  now: Date = new Date(),
  options: TmuxFormatOptions = {},
): string {
  const s = options.ascii ? SYMBOLS.ascii : SYMBOLS.unicode;
  const account = snapshot.credentials.account;
  const who = account === null ? '' : ` ${account.slice(0, 4)}${s.ellipsis}${account.slice(-4)}`;
  const left = millisUntil(snapshot.credentials.expiresAt, now);
  const segment = tmuxState(snapshot, s, who, left);
  const children = snapshot.children;
  if (!children) return segment;
  // `2/3`: how many of the Procfile's processes run; a crashed one shows without opening the pane.
  const running = children.filter((c) => c.state === 'running').length;
  return `${segment} ${running}/${children.length}`;
}

function tmuxState(
  snapshot: StatusSnapshot,
  s: (typeof SYMBOLS)['unicode'],
  who: string,
  left: number | null,
): string {
  switch (snapshot.state) {
    case 'waiting-for-credentials':
      return `${s.warn} creds!`;
    case 'fatal':
      return `${s.fatal} fatal`;
    case 'running':
      if (left !== null && left <= 0) return `${s.warn}${who} expired`;
      return `${s.cloud}${who}${left === null ? '' : ` ${shortDuration(left)}`}`;
    default:
      return `${s.cloud}${who} ${snapshot.state}`;
  }
}
