/**
 * What a running supervisor does about its SSO session: look at it when asked (a state change, the
 * child's credentials found expired, a wake from sleep, a timer), and when only a new login can help,
 * do what `--sso-login` says — launch it through the machine-wide single flight, or tell the person
 * what to run (`cred-supervisor login` works from any pane; the SSO cache change then reaches every
 * supervisor sharing the session). It never blocks the caller: the endpoint keeps answering while a
 * login is pending.
 */
import type { SsoStatusJson } from '../control/status.js';
import { CredentialProblem } from '../credentials/errors.js';
import { ssoLoginFixCommand } from '../credentials/fix-commands.js';
import { type SsoLoginMode, ssoLoginAction } from './login-policy.js';
import { loginOnce, type SsoLoginOutcome } from './single-flight-login.js';
import type { SsoProfile } from './sso-profile.js';
import { inspectSsoSession, needsSsoLogin, type SsoSessionState } from './sso-session-state.js';

export interface SsoLoginTarget {
  /** Re-read and verify credentials (the supervisor's `reload`). */
  reload(reason: 'sso-login'): void;
}

export interface SsoLoginCoordinatorOptions {
  profile: SsoProfile;
  mode: SsoLoginMode;
  /** Someone can answer a question now (a terminal with keys). */
  canAsk: boolean;
  env: NodeJS.ProcessEnv;
  /** A line for the person (terminal status line and log). */
  say: (text: string) => void;
  /** Reaches the person when they are elsewhere (notify command, tmux message). */
  notify?: (text: string) => void;
  /**
   * The login's URL and code (the built-in flow's, or the AWS CLI's own lines naming them), once per
   * login: a tmux popup, the notify command. Its result runs when the login is over (closes a popup).
   */
  present?: (text: string) => (() => unknown) | undefined;
  /** A login this supervisor launched started (true) or ended (false). */
  onLoginActivity?: (active: boolean) => void;
  now?: () => Date;
  login?: typeof loginOnce;
}

export type SsoCheckOutcome = 'fine' | 'launched' | 'in-progress' | 'asked' | 'told';

/** What `status --json` shows as `sso`: no token, no URL, only times and states. */
export type SsoStatus = SsoStatusJson;

/**
 * What the person must see to approve a login: the verification URL and the user code (`ABCD-EFGH`),
 * from the built-in flow or the AWS CLI v2's own output (they may come in separate writes).
 */
const URL_LINE = /https?:\/\/\S+/;
const USER_CODE = /\b[A-Z0-9]{4}-[A-Z0-9]{4}\b/;

function verificationText(output: string): string | undefined {
  if (!URL_LINE.test(output) || !USER_CODE.test(output)) return undefined;
  const lines = output.split('\n').filter((line) => USER_CODE.test(line) || /code|open/i.test(line));
  return lines.map((line) => line.trim()).join('\n');
}

export interface SsoLoginCoordinator {
  check(): Promise<SsoCheckOutcome>;
  /** The person said yes (a key, under `--sso-login prompt`): log in now, through the single flight. */
  loginNow(): 'launched' | 'in-progress';
  /** The supervisor stops: a login still waiting for the person is abandoned (it must not hold the exit). */
  cancel(): void;
  /** The session as last looked at, for `status --json`; null before the first look. */
  status(): SsoStatus | null;
  /** The login running now, if any (tests, and `stop` waiting for it). */
  readonly pending: Promise<SsoLoginOutcome | undefined> | undefined;
}

export function createSsoLoginCoordinator(
  target: SsoLoginTarget,
  options: SsoLoginCoordinatorOptions,
): SsoLoginCoordinator {
  const now = options.now ?? (() => new Date());
  const login = options.login ?? loginOnce;
  const { profile } = options;
  let pending: Promise<SsoLoginOutcome | undefined> | undefined;
  let toldAbout: string | null | undefined;
  let last: SsoSessionState | undefined;
  const stopping = new AbortController();

  const launch = () => {
    let closePresented: (() => unknown) | undefined;
    let presented = false;
    let output = '';
    const write = (text: string) => {
      options.say(text.trimEnd());
      if (presented) return;
      output += text;
      const shown = verificationText(output);
      if (shown === undefined) return;
      presented = true;
      closePresented = options.present?.(shown);
    };
    options.onLoginActivity?.(true);
    pending = login(profile, {
      env: options.env,
      output: { write },
      onlyIfNeeded: true,
      signal: stopping.signal,
    })
      .then(async (outcome) => {
        last = await inspectSsoSession(profile, { env: options.env, now, refreshIfDue: false });
        target.reload('sso-login');
        return outcome;
      })
      .catch((error: unknown) => {
        if (stopping.signal.aborted) return undefined;
        if (!(error instanceof CredentialProblem)) throw error;
        options.say(error.message);
        options.notify?.(error.problem);
        return undefined;
      })
      .finally(() => {
        pending = undefined;
        closePresented?.();
        options.onLoginActivity?.(false);
      });
  };
  const launchOnce = (): 'launched' | 'in-progress' => {
    if (pending) return 'in-progress';
    launch();
    return 'launched';
  };

  return {
    get pending() {
      return pending;
    },
    loginNow: launchOnce,
    cancel: () => stopping.abort(),
    status() {
      if (!last) return null;
      return {
        session: last.session,
        tokenExpiresAt: last.tokenExpiresAt,
        lastRefresh: last.lastRefresh,
        refreshToken: last.refreshToken,
        loginInProgress: pending !== undefined,
      };
    },
    async check() {
      if (pending) return 'in-progress';
      const state = await inspectSsoSession(profile, { env: options.env, now });
      last = state;
      if (!needsSsoLogin(state, now())) {
        toldAbout = undefined;
        return 'fine';
      }
      const action = ssoLoginAction(options.mode, { requestedByPerson: false, canAsk: options.canAsk });
      switch (action) {
        case 'launch':
          if (pending) return 'in-progress';
          options.say(`The SSO session of profile ${profile.profile} has ended: logging in.`);
          return launchOnce();
        case 'ask':
        case 'tell': {
          const outcome = action === 'ask' ? 'asked' : 'told';
          // Once per ended session (the cache's token), not at every state change.
          if (toldAbout === state.tokenExpiresAt) return outcome;
          toldAbout = state.tokenExpiresAt;
          const anyPane = `${ssoLoginFixCommand(profile.profile)} in any terminal`;
          const text =
            action === 'ask'
              ? `The SSO session of profile ${profile.profile} has ended. Press l to log in now, or run ${anyPane}.`
              : `The SSO session of profile ${profile.profile} has ended. Log in: ${anyPane}.`;
          options.say(text);
          options.notify?.(text);
          return outcome;
        }
        default: {
          const unreachable: never = action;
          throw new Error(`unknown SSO login action ${String(unreachable)}`);
        }
      }
    },
  };
}
