/**
 * Asking the person for an MFA code on their terminal. Only when one is attached: under tmux detached,
 * CI or a script there is nobody to answer, and a prompt would block forever, so there is no prompt
 * and the profile source says how to proceed instead.
 */
import type { Writable } from 'node:stream';
import { askOnTerminal, type QuestionInput } from '../prompt/terminal-question.js';

export interface MfaCodeRequest {
  profile: string;
  /** The MFA device ARN from the profile's `mfa_serial`. */
  mfaSerial: string;
}

export type MfaCodePrompt = (request: MfaCodeRequest) => Promise<string>;

/** What an MFA device shows: six digits. */
export const MFA_CODE = /^\d{6}$/;

export interface TerminalMfaPromptOptions {
  input: QuestionInput;
  output: Writable;
  /** Aborts a pending question (the supervisor is stopping). */
  signal?: AbortSignal;
}

/** A prompt on the given terminal streams, or undefined when `input` is not a TTY. */
export function terminalMfaPrompt({
  input,
  output,
  signal,
}: TerminalMfaPromptOptions): MfaCodePrompt | undefined {
  if (!input.isTTY) return undefined;
  return ({ profile, mfaSerial }) =>
    askOnTerminal(`MFA code for ${mfaSerial} (profile ${profile}): `, {
      input,
      output,
      ...(signal && { signal }),
    });
}
