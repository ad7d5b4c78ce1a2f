/**
 * Bell, tmux message line, --notify-command: best effort, in the background, the same way for
 * `watch`, its SSO login and `exec`. A channel that fails is reported to `onError`, never thrown.
 */
import { type NotifyOptions, notify } from './notify.js';

export interface AttentionChannels {
  env: NodeJS.ProcessEnv;
  /** The config's / flag's --notify-command, if any. */
  notifyCommand?: string | undefined;
  /** Where the bell rings (only when it is a terminal). */
  terminal?: NotifyOptions['terminal'];
  onError?: NotifyOptions['onError'];
}

export function callForAttention(text: string, channels: AttentionChannels): void {
  const { env, notifyCommand, terminal, onError } = channels;
  void notify(text, {
    env,
    ...(terminal ? { terminal } : {}),
    ...(notifyCommand ? { notifyCommand } : {}),
    ...(onError ? { onError } : {}),
  });
}
