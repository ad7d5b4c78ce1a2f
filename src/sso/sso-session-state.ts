/**
 * The state of the SSO session behind a profile, for `check` and `status --json` (`sso`): which session,
 * when the access token expires, when it was last written (login or refresh), and whether the refresh
 * token still works. The last is only known by using it, so it is tried only when a refresh is due
 * anyway (the token expires within 15 minutes, the AWS CLI's own refresh window); otherwise it says
 * `not-checked`. No token value is ever part of it.
 */
import type { REFRESH_TOKEN_STATES } from '../control/status.js';
import { CredentialProblem } from '../credentials/errors.js';
import { refreshSsoToken } from './refresh-sso-token.js';
import { readSsoCache } from './sso-cache.js';
import { ssoCacheFile } from './sso-cache-path.js';
import { awsSsoLoginCommand, type SsoProfile } from './sso-profile.js';

/** The AWS CLI (botocore) refreshes an SSO token this long before it expires. */
export const SSO_REFRESH_WINDOW_MS = 15 * 60_000;

export type RefreshTokenState = (typeof REFRESH_TOKEN_STATES)[number];

export interface SsoSessionState {
  profile: string;
  /** The `sso_session` name; null for a legacy profile (start URL on the profile). */
  session: string | null;
  startUrl: string;
  ssoRegion: string;
  accountId: string;
  roleName: string;
  cacheFile: string;
  loggedIn: boolean;
  tokenExpiresAt: string | null;
  /** When the cached token was last written: by a login or a refresh. */
  lastRefresh: string | null;
  refreshToken: RefreshTokenState;
  /** What is wrong and the fix, when the session cannot give credentials. */
  problem: { message: string; fix: string | null } | null;
}

export interface InspectOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Use the refresh token when a refresh is due (it renews the token, as the SDK would). Default true. */
  refreshIfDue?: boolean;
}

function problemOf(error: CredentialProblem): SsoSessionState['problem'] {
  return { message: error.problem, fix: error.fix ?? null };
}

export async function inspectSsoSession(
  profile: SsoProfile,
  options: InspectOptions = {},
): Promise<SsoSessionState> {
  const now = options.now ?? (() => new Date());
  const cacheFile = ssoCacheFile(profile.identity, options.env);
  const login = awsSsoLoginCommand(profile);
  const base: SsoSessionState = {
    profile: profile.profile,
    session: profile.identity.kind === 'session' ? profile.identity.sessionName : null,
    startUrl: profile.startUrl,
    ssoRegion: profile.ssoRegion,
    accountId: profile.accountId,
    roleName: profile.roleName,
    cacheFile,
    loggedIn: false,
    tokenExpiresAt: null,
    lastRefresh: null,
    refreshToken: 'not-checked',
    problem: null,
  };
  let entry: Awaited<ReturnType<typeof readSsoCache>>;
  try {
    entry = await readSsoCache(cacheFile, { loginCommand: login });
  } catch (error) {
    if (error instanceof CredentialProblem) return { ...base, problem: problemOf(error) };
    throw error;
  }
  const relogin = `Log in: cred-supervisor login --profile ${profile.profile} (or ${login})`;
  if (!entry) {
    return {
      ...base,
      refreshToken: 'none',
      problem: { message: 'Not logged in (no cached SSO token).', fix: relogin },
    };
  }
  const state: SsoSessionState = {
    ...base,
    loggedIn: true,
    tokenExpiresAt: entry.expiresAt.toISOString(),
    lastRefresh: entry.writtenAt.toISOString(),
    refreshToken: entry.token.refreshToken ? 'not-checked' : 'none',
  };
  const due = entry.expiresAt.getTime() - now().getTime() < SSO_REFRESH_WINDOW_MS;
  if (!due || options.refreshIfDue === false) return state;
  try {
    const refreshed = await refreshSsoToken(profile, cacheFile, entry, now);
    switch (refreshed.kind) {
      case 'refreshed':
        return {
          ...state,
          tokenExpiresAt: refreshed.expiresAt.toISOString(),
          lastRefresh: now().toISOString(),
          refreshToken: 'works',
        };
      case 'not-refreshable':
      case 'session-ended': {
        const expired = entry.expiresAt.getTime() <= now().getTime();
        const why = refreshed.kind === 'session-ended' ? 'the SSO session has ended' : refreshed.why;
        return {
          ...state,
          refreshToken: refreshed.kind === 'session-ended' ? 'session-ended' : 'none',
          problem: {
            message: `${expired ? 'The SSO token has expired' : 'The SSO token expires soon'} and cannot be refreshed: ${why}.`,
            fix: relogin,
          },
        };
      }
      default: {
        const unreachable: never = refreshed;
        throw new Error(`unknown refresh result ${JSON.stringify(unreachable)}`);
      }
    }
  } catch (error) {
    if (!(error instanceof CredentialProblem)) throw error;
    return {
      ...state,
      refreshToken: error.code === 'NETWORK' ? 'unreachable' : state.refreshToken,
      problem: problemOf(error),
    };
  }
}

/**
 * Whether only a new login can help: never logged in, the refresh token refused (the session ended),
 * or the token expired with nothing to refresh it. A token that is merely due for a refresh is not
 * (the SDK refreshes it), nor is IAM Identity Center being unreachable (that is retried).
 */
export function needsSsoLogin(state: SsoSessionState, now: Date): boolean {
  if (!state.loggedIn) return true;
  if (state.refreshToken === 'session-ended') return true;
  const expired = state.tokenExpiresAt !== null && Date.parse(state.tokenExpiresAt) <= now.getTime();
  return expired && state.refreshToken === 'none';
}
