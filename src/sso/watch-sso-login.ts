/**
 * Hooks the SSO login coordinator to a running supervisor from the outside: it looks at the SSO
 * session when the supervisor starts waiting for credentials, when the child's credentials are found
 * expired, and once a minute (which also catches a wake from sleep); a login it launches runs beside
 * the supervisor, so the credential endpoint keeps answering while the person approves it.
 * Nothing happens for a profile that is not an SSO one.
 */
import type { SsoLoginMode } from './login-policy.js';
import { createSsoLoginCoordinator } from './sso-login-coordinator.js';
import { readSsoProfile } from './sso-profile.js';

/** What of the supervisor this needs: its state events, `reload`, a line on its terminal. */
export interface WatchedSupervisor {
  on(event: 'state', listener: (snapshot: { state: string }) => void): unknown;
  on(event: 'credentials-expired', listener: () => void): unknown;
  off(event: 'state' | 'credentials-expired', listener: (...args: never[]) => void): unknown;
  reload(): void;
  say(level: 'warn', text: string): void;
}

export interface WatchSsoLoginOptions {
  profile: string | undefined;
  mode: SsoLoginMode;
  canAsk: boolean;
  env: NodeJS.ProcessEnv;
  notify?: (text: string) => void;
  intervalMs?: number;
}

/** Starts watching; resolves with the function that stops it (a no-op for a non-SSO profile). */
export async function watchSsoLogin(
  supervisor: WatchedSupervisor,
  options: WatchSsoLoginOptions,
): Promise<() => Promise<void>> {
  // A broken SSO set-up is reported by the supervisor's own resolution, with its fix.
  const profile = options.profile
    ? await readSsoProfile(options.profile, options.env).catch(() => undefined)
    : undefined;
  if (!profile) return async () => {};
  const coordinator = createSsoLoginCoordinator(
    { reload: () => supervisor.reload() },
    {
      profile,
      mode: options.mode,
      canAsk: options.canAsk,
      env: options.env,
      say: (text) => supervisor.say('warn', text),
      ...(options.notify && { notify: options.notify }),
    },
  );
  const check = () => {
    coordinator
      .check()
      .catch((error: unknown) => supervisor.say('warn', `SSO check failed: ${(error as Error).message}`));
  };
  const onState = (snapshot: { state: string }) => {
    if (snapshot.state === 'waiting-for-credentials') check();
  };
  supervisor.on('state', onState);
  supervisor.on('credentials-expired', check);
  const timer = setInterval(check, options.intervalMs ?? 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    supervisor.off('state', onState);
    supervisor.off('credentials-expired', check);
    await coordinator.pending;
  };
}
