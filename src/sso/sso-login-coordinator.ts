/**
 * What a running supervisor does about its SSO session: look at it when asked (a state change, the
 * child's credentials found expired, a wake from sleep, a timer), and when only a new login can help,
 * do what `--sso-login` says — launch it through the machine-wide single flight, or tell the person
 * what to run (`cred-supervisor login` works from any pane; the SSO cache change then reaches every
 * supervisor sharing the session). It never blocks the caller: the endpoint keeps answering while a
 * login is pending.
 */
import { CredentialProblem } from '../credentials/errors.js';
import { shellQuote } from '../credentials/fix-commands.js';
import { type SsoLoginMode, ssoLoginAction } from './login-policy.js';
import { loginOnce, type SsoLoginOutcome } from './single-flight-login.js';
import { awsSsoLoginCommand, type SsoProfile } from './sso-profile.js';
import { inspectSsoSession, needsSsoLogin } from './sso-session-state.js';

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
  now?: () => Date;
  login?: typeof loginOnce;
}

export type SsoCheckOutcome = 'fine' | 'launched' | 'in-progress' | 'told';

export interface SsoLoginCoordinator {
  check(): Promise<SsoCheckOutcome>;
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

  const launch = () => {
    pending = login(profile, { env: options.env, output: { write: (text) => options.say(text.trimEnd()) } })
      .then((outcome) => {
        target.reload('sso-login');
        return outcome;
      })
      .catch((error: unknown) => {
        if (!(error instanceof CredentialProblem)) throw error;
        options.say(error.message);
        options.notify?.(error.problem);
        return undefined;
      })
      .finally(() => {
        pending = undefined;
      });
  };

  return {
    get pending() {
      return pending;
    },
    async check() {
      if (pending) return 'in-progress';
      const state = await inspectSsoSession(profile, { env: options.env, now });
      if (!needsSsoLogin(state, now())) {
        toldAbout = undefined;
        return 'fine';
      }
      const action = ssoLoginAction(options.mode, { requestedByPerson: false, canAsk: options.canAsk });
      switch (action) {
        case 'launch':
          if (pending) return 'in-progress';
          options.say(`The SSO session of profile ${profile.profile} has ended: logging in.`);
          launch();
          return 'launched';
        case 'ask':
        case 'tell': {
          // Once per ended session (the cache's token), not at every state change.
          if (toldAbout === state.tokenExpiresAt) return 'told';
          toldAbout = state.tokenExpiresAt;
          const text = `The SSO session of profile ${profile.profile} has ended. Log in from any terminal: cred-supervisor login --profile ${shellQuote(profile.profile)} (or ${awsSsoLoginCommand(profile)}).`;
          options.say(text);
          options.notify?.(text);
          return 'told';
        }
        default: {
          const unreachable: never = action;
          throw new Error(`unknown SSO login action ${String(unreachable)}`);
        }
      }
    },
  };
}
