/**
 * `watch`'s SSO session: watched for the supervisor, a login launched when it ends (per
 * `--sso-login`), its URL and code shown where the person is.
 */
import { callForAttention } from '../prompt/call-for-attention.js';
import { showTmuxPopup } from '../prompt/tmux-attention.js';
import { type SsoWatch, type WatchedSupervisor, watchSsoLogin } from '../sso/watch-sso-login.js';
import type { WatchContext } from './watch-context.js';

export function watchSso(supervisor: WatchedSupervisor, context: WatchContext): Promise<SsoWatch> {
  const { options, interactive, io, logger } = context;
  const channels = { env: io.env, notifyCommand: options.notifyCommand };
  return watchSsoLogin(supervisor, {
    profile: options.profile,
    mode: options.ssoLogin ?? 'auto',
    canAsk: interactive,
    env: io.env,
    log: (text) => logger.warn({ event: 'sso' }, text),
    notify: (text) => callForAttention(text, channels),
    present: (text) => presentLogin(text, context),
  });
}

/**
 * An SSO login's URL and code, where the person is: one popup in their current tmux client when the
 * supervisor runs detached under tmux (closed when the login ends), else the notify command. The log
 * and the terminal have it either way.
 */
function presentLogin(
  text: string,
  { useTmux, options, io, logger }: WatchContext,
): (() => unknown) | undefined {
  if (!useTmux) {
    callForAttention(text, { env: io.env, notifyCommand: options.notifyCommand });
    return undefined;
  }
  const popup = showTmuxPopup('cred-supervisor: SSO login', text, {
    env: io.env,
    onError: (why) => logger.warn({ event: 'tmux-popup-failed' }, why),
  });
  return () => void popup.then((opened) => (typeof opened === 'string' ? undefined : opened.close()));
}
