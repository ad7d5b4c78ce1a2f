/** The keys of an interactive `watch`: r reload, s status, q quit, l SSO login, Ctrl+C stop. */
import type { InputStream } from '../cli/cli-io.js';
import { KEYS_HINT, registerKeys } from '../prompt/keys.js';
import type { SsoWatch } from '../sso/watch-sso-login.js';
import type { Supervisor } from '../supervisor/supervisor.js';

/** Listens and says the keys once; returns what stops listening. */
export function handleKeys(supervisor: Supervisor, stdin: InputStream, ssoWatch: SsoWatch): () => void {
  const stop = registerKeys({
    stdin,
    onReload: () => void supervisor.reloadAndAnswer('key'),
    onStatus: () => supervisor.printCountdown(),
    onQuit: () => supervisor.requestStop('key'),
    onLogin: () => {
      if (ssoWatch.loginNow() === 'in-progress') supervisor.say('info', 'An SSO login is already running.');
    },
    onInterrupt: () => supervisor.requestStop('sigint'),
  });
  supervisor.say('info', KEYS_HINT);
  return stop;
}
