/**
 * Before `check` or `exec` resolve credentials: when the profile is an SSO one whose session has
 * ended, do what `--sso-login` says (the one rule, `ssoLoginAction`): log in through the machine-wide
 * single flight, ask first on a terminal, or only say what to run (the resolution that follows then
 * reports the ended session with its fix). A profile that is not an SSO one is left to the resolution.
 */
import { CredentialProblem } from '../credentials/errors.js';
import { ssoLoginFixCommand } from '../credentials/fix-commands.js';
import { type SsoLoginMode, ssoLoginAction } from './login-policy.js';
import { loginOnce } from './single-flight-login.js';
import { readSsoProfile } from './sso-profile.js';
import { inspectSsoSession, needsSsoLogin } from './sso-session-state.js';

export type EnsureSsoOutcome = 'not-sso' | 'fine' | 'logged-in' | 'declined' | 'told' | 'failed';

export interface EnsureSsoOptions {
  profile: string | undefined;
  mode: SsoLoginMode;
  env: NodeJS.ProcessEnv;
  output: { write(text: string): unknown };
  /** A yes/no on the person's terminal; undefined when there is none (prompt then only tells). */
  ask?: (question: string) => Promise<boolean>;
}

export async function ensureSsoSession(options: EnsureSsoOptions): Promise<EnsureSsoOutcome> {
  // A broken SSO set-up is the resolution's to report, with its fix.
  const profile = options.profile
    ? await readSsoProfile(options.profile, options.env).catch(() => undefined)
    : undefined;
  if (!profile) return 'not-sso';
  const state = await inspectSsoSession(profile, { env: options.env });
  if (!needsSsoLogin(state, new Date())) return 'fine';
  const action = ssoLoginAction(options.mode, {
    requestedByPerson: false,
    canAsk: options.ask !== undefined,
  });
  const ended = `The SSO session of profile ${profile.profile} has ended`;
  switch (action) {
    case 'ask': {
      const yes = await options.ask?.(`${ended}. Log in now? [Y/n] `);
      if (!yes) return 'declined';
      break;
    }
    case 'tell':
      options.output.write(`${ended}. Log in: ${ssoLoginFixCommand(profile.profile)}\n`);
      return 'told';
    case 'launch':
      options.output.write(`${ended}: logging in.\n`);
      break;
    default: {
      const unreachable: never = action;
      throw new Error(`unknown SSO login action ${String(unreachable)}`);
    }
  }
  try {
    await loginOnce(profile, { env: options.env, output: options.output, onlyIfNeeded: true });
    return 'logged-in';
  } catch (error) {
    if (!(error instanceof CredentialProblem)) throw error;
    options.output.write(`${error.message}\n`);
    return 'failed';
  }
}
