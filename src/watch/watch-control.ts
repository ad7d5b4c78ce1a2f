/**
 * What other terminals see of a running `watch`: the control socket (`status`, `reload`, `stop`,
 * `restart NAME`, `mfa CODE`) and the status segment file tmux reads.
 */
import { startControlServer } from '../control/control-server.js';
import type { SupervisorLock } from '../control/lock.js';
import { keepStatusSegment } from '../control/status-segment-file.js';
import type { MfaQuestion } from '../credentials/mfa-question.js';
import type { SsoWatch } from '../sso/watch-sso-login.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { WatchContext } from './watch-context.js';

/** Starts both; resolves with what closes them, in the order they must close. */
export async function serveControl(
  supervisor: Supervisor,
  parts: { lock: SupervisorLock; ssoWatch: SsoWatch; mfaQuestion: MfaQuestion; severalProcesses: boolean },
  { options, logger }: WatchContext,
): Promise<(() => unknown)[]> {
  const { lock, ssoWatch, mfaQuestion } = parts;
  const control = await startControlServer(
    options.stateDir,
    {
      getStatus: () => ({ ...supervisor.status(), sso: ssoWatch.status() }),
      reload: async (acceptAccount) => ({
        message: await supervisor.reloadAndAnswer('reload', 15_000, acceptAccount),
      }),
      ...(parts.severalProcesses
        ? { restart: async (name: string) => ({ message: await supervisor.restartChild(name) }) }
        : {}),
      stop: async () => {
        supervisor.requestStop('control');
        return { message: 'Stopping.' };
      },
      answerMfa: (code) => mfaQuestion.answer(code),
    },
    {
      onError: (error) =>
        logger.warn(
          { event: 'control-accept-failed', err: error },
          'control socket: a connection could not be accepted',
        ),
    },
  );
  lock.recordSocket(control.socketPath);
  const segment = keepStatusSegment(options.stateDir, () => supervisor.status());
  supervisor.on('state', segment.update);
  return [() => control.close(), () => segment.close()];
}
