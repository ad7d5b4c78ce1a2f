/**
 * The `sso` part of `check` (text rows and the `--json` key) for the profile in effect, when it is an
 * SSO profile: the session, the token's time left, its last refresh and whether the refresh token
 * still works. Null when the profile is not an SSO one (or none is in effect).
 */
import { formatDuration } from '../config/duration.js';
import { CredentialProblem } from '../credentials/errors.js';
import { row } from '../verify/checklist.js';
import { readSsoProfile } from './sso-profile.js';
import { inspectSsoSession, type RefreshTokenState, type SsoSessionState } from './sso-session-state.js';

export async function ssoStateOfProfile(
  profileName: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<SsoSessionState | null> {
  if (!profileName) return null;
  try {
    const profile = await readSsoProfile(profileName, env);
    return profile ? await inspectSsoSession(profile, { env }) : null;
  } catch (error) {
    // A broken SSO set-up is already the check's own failure, with its fix; nothing more to say here.
    if (error instanceof CredentialProblem) return null;
    throw error;
  }
}

function refreshTokenText(state: RefreshTokenState): string {
  switch (state) {
    case 'works':
      return 'refresh token works (just used)';
    case 'session-ended':
      return 'refresh token refused: the SSO session has ended';
    case 'none':
      return 'no refresh token: a new login is needed when the token expires';
    case 'not-checked':
      return 'refresh token not used yet (no refresh due)';
    case 'unreachable':
      return 'refresh token not checked: IAM Identity Center unreachable';
    default: {
      const unreachable: never = state;
      throw new Error(`unknown refresh token state ${String(unreachable)}`);
    }
  }
}

export function formatSsoRows(state: SsoSessionState, now: Date, color: boolean): string {
  const name = state.session ? `session ${state.session}` : 'legacy profile';
  const lines = [row('info', 'SSO', `${name} (${state.startUrl}, ${state.ssoRegion})`, color)];
  if (state.tokenExpiresAt) {
    const left = Date.parse(state.tokenExpiresAt) - now.getTime();
    const mark = state.problem ? 'warn' : 'ok';
    const text = left > 0 ? `valid for ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
    lines.push(
      row(
        mark,
        'SSO token',
        `${text} (last written ${state.lastRefresh}); ${refreshTokenText(state.refreshToken)}`,
        color,
      ),
    );
  }
  if (state.problem) {
    lines.push(row('warn', 'SSO problem', state.problem.message, color));
    if (state.problem.fix) lines.push(row('info', 'SSO fix', state.problem.fix, color));
  }
  return `${lines.join('\n')}\n`;
}
