/**
 * `watch`'s MFA question: asked on this terminal when there is one, and taken from `cred-supervisor
 * mfa` in any pane either way (detached under tmux, asked in the person's current client). It gives
 * up before the supervisor's own limit on one resolution (3 min on a terminal, 1 min without), so the
 * supervisor reports the MFA problem, not a timeout.
 */
import { asWritable } from '../cli/cli-io.js';
import { terminalMfaPrompt } from '../credentials/mfa-prompt.js';
import { createMfaQuestion, type MfaQuestion } from '../credentials/mfa-question.js';
import { askMfaInTmux } from '../prompt/tmux-attention.js';
import { mfaQuestionTimeoutMs } from '../supervisor/supervisor.js';
import type { WatchContext } from './watch-context.js';

export function watchMfaQuestion(
  { io, options, interactive, useTmux, logger }: WatchContext,
  /** The supervisor's own line (the supervisor exists by the time a code is asked for). */
  say: (text: string) => void,
): MfaQuestion {
  const stdin = interactive ? io.stdin : undefined;
  return createMfaQuestion({
    ...(stdin
      ? { terminal: (signal) => terminalMfaPrompt({ input: stdin, output: asWritable(io.stderr), signal }) }
      : {}),
    announce: (request, howToAnswer) => {
      const text = `MFA code needed for ${request.mfaSerial} (profile ${request.profile}): ${howToAnswer}.`;
      say(text);
      logger.warn({ event: 'mfa-question', profile: request.profile }, text);
      if (useTmux) {
        void askMfaInTmux(
          { ...request, stateDir: options.stateDir, cli: [process.execPath, ...process.argv.slice(1, 2)] },
          { env: io.env },
        );
      }
    },
    timeoutMs: mfaQuestionTimeoutMs(interactive),
  });
}
