/**
 * Hooks the SSO login coordinator to a running supervisor from the outside: it looks at the SSO
 * session when the supervisor starts waiting for credentials, when the child's credentials are found
 * expired, first thing after the clock jumped (a wake from sleep), and once a minute; a login it launches runs beside
 * the supervisor, so the credential endpoint keeps answering while the person approves it.
 * Nothing happens for a profile that is not an SSO one.
 */
import type { SsoLoginMode } from './login-policy.js';
import {
  createSsoLoginCoordinator,
  type SsoLoginCoordinator,
  type SsoStatus,
} from './sso-login-coordinator.js';
import { readSsoProfile } from './sso-profile.js';

/** What of the supervisor this needs: its state events, `reload`, a line on its terminal. */
export interface WatchedSupervisor {
  on(event: 'state', listener: (snapshot: { state: string }) => void): unknown;
  on(event: 'credentials-expired' | 'clock-jumped', listener: () => void): unknown;
  off(event: 'state' | 'credentials-expired' | 'clock-jumped', listener: (...args: never[]) => void): unknown;
  reload(): void;
  say(level: 'warn', text: string): void;
  /** A login this supervisor launched is waiting for the person (the prompt then asks for no other). */
  setSsoLoginInProgress?(active: boolean): void;
}

export interface SsoWatch {
  stop(): Promise<void>;
  /** For `status --json` (`sso`): null for a profile that is not an SSO one, or before the first look. */
  status(): SsoStatus | null;
  /** The person's yes under `--sso-login prompt` (the `l` key); undefined for a non-SSO profile. */
  loginNow(): 'launched' | 'in-progress' | undefined;
}

export interface WatchSsoLoginOptions {
  profile: string | undefined;
  mode: SsoLoginMode;
  canAsk: boolean;
  env: NodeJS.ProcessEnv;
  notify?: (text: string) => void;
  /** Shows a login's URL and code where the person is (a tmux popup); returns how to close it. */
  present?: (text: string) => (() => unknown) | undefined;
  /** Every line about the SSO session also goes to the log (the URL and code included, never a token). */
  log?: (text: string) => void;
  intervalMs?: number;
}

/** Starts watching; resolves with the function that stops it (a no-op for a non-SSO profile). */
export async function watchSsoLogin(
  supervisor: WatchedSupervisor,
  options: WatchSsoLoginOptions,
): Promise<SsoWatch> {
  // A broken SSO set-up is reported by the supervisor's own resolution, with its fix.
  const profile = options.profile
    ? await readSsoProfile(options.profile, options.env).catch(() => undefined)
    : undefined;
  if (!profile) return { stop: async () => {}, status: () => null, loginNow: () => undefined };
  const coordinator: SsoLoginCoordinator = createSsoLoginCoordinator(
    { reload: () => supervisor.reload() },
    {
      profile,
      mode: options.mode,
      canAsk: options.canAsk,
      env: options.env,
      say: (text) => {
        supervisor.say('warn', text);
        options.log?.(text);
      },
      ...(options.notify && { notify: options.notify }),
      ...(options.present && { present: options.present }),
      onLoginActivity: (active) => supervisor.setSsoLoginInProgress?.(active),
    },
  );
  // One look at a time: state changes come in bursts, and a look may use the refresh token.
  // A look asked for meanwhile runs once after it (what it would see may have changed).
  let looking = false;
  let again = false;
  const check = () => {
    if (looking) {
      again = true;
      return;
    }
    looking = true;
    coordinator
      .check()
      .catch((error: unknown) => supervisor.say('warn', `SSO check failed: ${(error as Error).message}`))
      .finally(() => {
        looking = false;
        if (again) {
          again = false;
          check();
        }
      });
  };
  // Waiting for credentials, or a refresh that failed (a `lastError`): is it the SSO session?
  const onState = (snapshot: { state: string; lastError?: string | null }) => {
    if (snapshot.state === 'waiting-for-credentials' || snapshot.lastError) check();
  };
  supervisor.on('state', onState);
  supervisor.on('credentials-expired', check);
  // After a wake the SSO session is looked at before anything else can ask for a login; the
  // coordinator's pending login and the machine-wide single flight keep it to one.
  supervisor.on('clock-jumped', check);
  const timer = setInterval(check, options.intervalMs ?? 60_000);
  timer.unref();
  check();
  return {
    async stop() {
      clearInterval(timer);
      supervisor.off('state', onState);
      supervisor.off('credentials-expired', check);
      supervisor.off('clock-jumped', check);
      coordinator.cancel();
      await coordinator.pending;
    },
    status: () => coordinator.status(),
    loginNow: () => coordinator.loginNow(),
  };
}
