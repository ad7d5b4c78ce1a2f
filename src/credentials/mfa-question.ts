/**
 * One MFA question at a time, answerable wherever the person is: on the supervisor's own terminal
 * (when it has one) or from any pane with `cred-supervisor mfa CODE` over the control socket. The
 * first answer wins and the other way of asking is withdrawn. Nothing here blocks the credential
 * endpoint: the question only holds up the resolution that needs the code.
 */
import { CredentialProblem } from './errors.js';
import { MFA_CODE, type MfaCodePrompt, type MfaCodeRequest } from './mfa-prompt.js';

export interface MfaQuestionOptions {
  /** A terminal prompt bound to `signal` (withdrawn when the socket answers first), or undefined. */
  terminal?: (signal: AbortSignal) => MfaCodePrompt | undefined;
  /** Tell the person a code is wanted (status line, tmux, notify command): how to answer it. */
  announce?: (request: MfaCodeRequest, howToAnswer: string) => void;
  /** A question nobody answers ends after this long (the code it would take is long stale). */
  timeoutMs?: number;
}

export interface MfaQuestion {
  /** For profile resolution (`promptMfaCode`). */
  readonly prompt: MfaCodePrompt;
  /** `cred-supervisor mfa CODE` → the pending question. Throws (with the reason) when it cannot take it. */
  answer(code: string): { message: string };
  /** What is being asked now, if anything. */
  readonly pending: MfaCodeRequest | undefined;
}

export const HOW_TO_ANSWER_MFA = 'run `cred-supervisor mfa CODE` in any terminal of this project';

export function createMfaQuestion(options: MfaQuestionOptions = {}): MfaQuestion {
  let current: { request: MfaCodeRequest; settle: (code: string) => void } | undefined;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;

  const prompt: MfaCodePrompt = (request) =>
    new Promise<string>((resolve, reject) => {
      if (current) {
        reject(new CredentialProblem('MFA_REQUIRED', 'An MFA code is already being asked for.'));
        return;
      }
      const withdraw = new AbortController();
      const timer = setTimeout(() => {
        finish();
        reject(
          new CredentialProblem(
            'MFA_REQUIRED',
            `Profile ${request.profile} needs an MFA code (${request.mfaSerial}) and none came within ${Math.round(timeoutMs / 60_000)} min.`,
            'Enter it when asked again, or `cred-supervisor reload` to ask now.',
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        withdraw.abort();
        current = undefined;
      };
      current = {
        request,
        settle: (code) => {
          finish();
          resolve(code);
        },
      };
      options.announce?.(request, HOW_TO_ANSWER_MFA);
      const terminal = options.terminal?.(withdraw.signal);
      terminal?.(request).then(
        (code) => current?.settle(code),
        () => {
          // Withdrawn (the socket answered) or the terminal went away: the socket can still answer.
        },
      );
    });

  return {
    prompt,
    get pending() {
      return current?.request;
    },
    answer(code) {
      if (!current) throw new Error('This supervisor is not waiting for an MFA code.');
      const trimmed = code.trim();
      if (!MFA_CODE.test(trimmed)) {
        throw new Error(
          `An MFA code is 6 digits; got ${trimmed.length} characters. The question is still open.`,
        );
      }
      const { profile } = current.request;
      current.settle(trimmed);
      return { message: `MFA code handed to the supervisor for profile ${profile}.` };
    },
  };
}
