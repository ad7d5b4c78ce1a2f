/**
 * One SSO login for the machine, however many processes ask at once (other tools open one browser tab
 * per process: 21–75 tabs reported). The processes of one user meet at a lock per SSO session in the
 * user's runtime directory: the first runs the login, the others wait for the SSO cache file to change
 * and use the token it brings. A holder that dies is noticed by its stale lock (proper-lockfile keeps
 * it fresh while the holder lives), so nobody waits forever.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { CredentialProblem } from '../credentials/errors.js';
import { runSsoLogin, type SsoLoginRunOptions, type SsoLoginTool } from './login-runner.js';
import { ensureRuntimeDir } from './runtime-dir.js';
import { readSsoCache } from './sso-cache.js';
import { ssoCacheFile, ssoCacheKey } from './sso-cache-path.js';
import { awsSsoLoginCommand, type SsoProfile } from './sso-profile.js';

export type SsoLoginOutcome =
  | { kind: 'logged-in'; tool: SsoLoginTool; expiresAt: Date }
  /** Another process's login brought a new token while this one waited. */
  | { kind: 'joined'; byPid: number | undefined; expiresAt: Date };

export interface SingleFlightOptions extends SsoLoginRunOptions {
  /** How often a waiting process looks at the cache and the lock. */
  pollMs?: number;
  /**
   * A login nobody asked for by hand (a supervisor found the session ended): a valid token already in
   * the cache when this process gets the lock is used, however it got there (another process's login
   * that finished before this one first looked).
   */
  onlyIfNeeded?: boolean;
  /** Runs the login itself (tests inject failures); default `runSsoLogin`. */
  runLogin?: (profile: SsoProfile, options: SsoLoginRunOptions) => Promise<SsoLoginTool>;
}

/** A lock not refreshed for this long belongs to a process that died mid-login. */
const STALE_MS = 20_000;
const KEEP_ALIVE_MS = 5_000;

interface CacheMark {
  mtimeMs: number;
  size: number;
}

async function cacheMark(file: string): Promise<CacheMark | undefined> {
  try {
    const stats = await stat(file);
    return { mtimeMs: stats.mtimeMs, size: stats.size };
  } catch {
    return undefined;
  }
}

function changed(before: CacheMark | undefined, now: CacheMark | undefined): boolean {
  if (!now) return false;
  return !before || before.mtimeMs !== now.mtimeMs || before.size !== now.size;
}

/** The token's expiry when the cache holds one that is still valid. */
async function validExpiry(file: string, profile: SsoProfile): Promise<Date | undefined> {
  const entry = await readSsoCache(file, { loginCommand: awsSsoLoginCommand(profile) }).catch(
    () => undefined,
  );
  return entry && entry.expiresAt.getTime() > Date.now() ? entry.expiresAt : undefined;
}

async function holderPid(holderFile: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(holderFile, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function sessionLabel(profile: SsoProfile): string {
  return profile.identity.kind === 'session'
    ? `SSO session ${profile.identity.sessionName}`
    : `the SSO login of ${profile.startUrl}`;
}

export async function loginOnce(profile: SsoProfile, options: SingleFlightOptions): Promise<SsoLoginOutcome> {
  const cacheFile = ssoCacheFile(profile.identity, options.env);
  const before = await cacheMark(cacheFile);
  const dir = await ensureRuntimeDir(options.env);
  const target = path.join(dir, `sso-login-${ssoCacheKey(profile.identity)}`);
  const holderFile = `${target}.pid`;
  const pollMs = options.pollMs ?? 250;
  const lockOptions = { realpath: false, stale: STALE_MS, update: KEEP_ALIVE_MS, onCompromised: () => {} };
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(target, lockOptions);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
  }
  if (release) {
    try {
      await writeFile(holderFile, `${process.pid}\n`, { mode: 0o600 });
      // A login that finished between our first look and the lock: use it, do not log in again.
      const justWritten =
        (options.onlyIfNeeded || changed(before, await cacheMark(cacheFile))) &&
        (await validExpiry(cacheFile, profile));
      if (justWritten) return { kind: 'joined', byPid: undefined, expiresAt: justWritten };
      const tool = await (options.runLogin ?? runSsoLogin)(profile, options);
      const expiresAt = await validExpiry(cacheFile, profile);
      if (!expiresAt) {
        throw new CredentialProblem(
          'SSO_EXPIRED',
          `The SSO login for profile ${profile.profile} finished, but ${cacheFile} holds no valid token.`,
          `Run \`${awsSsoLoginCommand(profile)}\` by hand and check its output.`,
        );
      }
      return { kind: 'logged-in', tool, expiresAt };
    } finally {
      await rm(holderFile, { force: true });
      await release().catch(() => {});
    }
  }

  const pid = await holderPid(holderFile);
  options.output.write(
    `Another process${pid ? ` (pid ${pid})` : ''} is already logging in to ${sessionLabel(profile)}; waiting for it.\n`,
  );
  for (;;) {
    await delay(pollMs, undefined, { signal: options.signal });
    const expiresAt = changed(before, await cacheMark(cacheFile)) && (await validExpiry(cacheFile, profile));
    if (expiresAt) return { kind: 'joined', byPid: pid, expiresAt };
    if (!(await lockfile.check(target, lockOptions))) break;
  }
  // The lock is free and no new token came: that login failed or was cancelled. Starting another
  // at once could be the storm we avoid; say so, and let the person (or the next ask) decide.
  throw new CredentialProblem(
    'SSO_EXPIRED',
    `The SSO login for ${sessionLabel(profile)} run by another process${pid ? ` (pid ${pid})` : ''} ended without a new token (cancelled or failed).`,
    'Run `cred-supervisor login` to log in.',
  );
}
