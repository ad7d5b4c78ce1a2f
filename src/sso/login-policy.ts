/**
 * What to do when an SSO session has ended, one decision for every caller (`--sso-login`):
 * launch the login, ask the person first, or only tell them what to run.
 */

export const SSO_LOGIN_MODES = ['auto', 'prompt', 'never'] as const;
export type SsoLoginMode = (typeof SSO_LOGIN_MODES)[number];

export type SsoLoginAction = 'launch' | 'ask' | 'tell';

export interface SsoLoginSituation {
  /** The person asked for it (`cred-supervisor login`, a key): their request is the answer. */
  requestedByPerson: boolean;
  /** Someone can answer a question now (a terminal, a tmux client, a control socket). */
  canAsk: boolean;
}

export function ssoLoginAction(mode: SsoLoginMode, situation: SsoLoginSituation): SsoLoginAction {
  if (situation.requestedByPerson) return 'launch';
  switch (mode) {
    case 'auto':
      return 'launch';
    case 'prompt':
      return situation.canAsk ? 'ask' : 'tell';
    case 'never':
      return 'tell';
    default: {
      const unreachable: never = mode;
      throw new Error(`unknown --sso-login mode ${String(unreachable)}`);
    }
  }
}
