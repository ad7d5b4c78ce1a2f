/** What `exec` says and logs about each refresh while the command runs. */
import { callForAttention } from '../prompt/call-for-attention.js';
import type { RefreshEvent } from './credential-refresher.js';
import {
  candidateRefusedLine,
  cannotRefreshWarning,
  expiredLine,
  notificationText,
  refreshedLine,
} from './exec-messages.js';
import type { ExecRun } from './exec-run.js';

export function reportRefresh(run: ExecRun, event: RefreshEvent): void {
  const { log, say, options } = run;
  const how = { credentialsFile: options.credentialsFile, profile: options.profile };
  const now = Date.now();
  switch (event.kind) {
    case 'refreshed': {
      const expiresAt = event.resolved.credentials.expiration?.getTime() ?? null;
      log.logger.info(
        { event: 'refreshed', account: event.account, expiresAt, source: event.resolved.source.description },
        'fresh credentials served',
      );
      say(
        refreshedLine({
          account: event.account,
          expiresAt,
          now,
          sourceDescription: event.resolved.source.description,
        }),
      );
      return;
    }
    case 'cannot-refresh':
      log.logger.warn({ event: 'cannot-refresh', detail: event.detail }, 'no fresher credentials');
      callForAttention(notificationText(run.command, event.expiresAt), {
        terminal: run.io.stderr,
        env: run.io.env,
        notifyCommand: options.notifyCommand,
        onError: (channel, error) =>
          log.logger.warn({ event: 'notify-failed', channel, error: error.message }, 'notify failed'),
      });
      say(
        cannotRefreshWarning({
          ...how,
          command: run.command,
          expiresAt: event.expiresAt,
          now,
          detail: event.detail,
        }),
      );
      return;
    case 'candidate-refused':
      log.logger.warn({ event: 'candidate-refused', detail: event.detail }, 'new credentials not used');
      say(candidateRefusedLine(event.detail));
      return;
    case 'expired':
      log.logger.warn(
        { event: 'expired', expiresAt: new Date(event.expiresAt).toISOString() },
        'credentials expired',
      );
      say(expiredLine({ ...how, command: run.command, expiresAt: event.expiresAt }));
      return;
    case 'attempt-failed':
      log.logger.debug({ event: 'refresh-attempt', detail: event.detail }, 'no fresher credentials yet');
      return;
    default: {
      const unknown: never = event;
      throw new Error(`Unknown refresh event ${JSON.stringify(unknown)}`);
    }
  }
}
