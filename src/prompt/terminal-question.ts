/**
 * Asking the person one question on their terminal (an MFA code, a confirmation) and handing the
 * terminal back exactly as it was. readline's close() turns raw mode off and pauses the stream, which
 * left the single-key commands dead (`q` echoed, `r` buffered by the line discipline and read as the
 * next MFA answer). While a question is open the key handler leaves the input alone, except Ctrl+C.
 */

import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

export type QuestionInput = Readable & {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
};

const asking = new WeakSet<object>();

/** True while a question is being asked on this input: its keys are the answer, not commands. */
export function isAskingOn(input: object): boolean {
  return asking.has(input);
}

export interface QuestionOptions {
  input: QuestionInput;
  output: Writable;
  /** Aborts the question (the supervisor is stopping); the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

/** One line typed by the person, trimmed. Rejects when aborted or when Ctrl+C is pressed. */
export async function askOnTerminal(
  question: string,
  { input, output, signal }: QuestionOptions,
): Promise<string> {
  if (asking.has(input)) throw new Error('A question is already open on this terminal.');
  const wasRaw = input.isRaw ?? false;
  const wasFlowing = input.readableFlowing === true;
  const cancel = new AbortController();
  const onAbort = () => cancel.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) cancel.abort(signal.reason);
  asking.add(input);
  const rl = createInterface({ input, output, terminal: true });
  // Ctrl+C ends the question; the key handler (still listening for it) stops the supervisor.
  rl.on('SIGINT', () => cancel.abort(new Error('Interrupted')));
  try {
    return (await rl.question(question, { signal: cancel.signal })).trim();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    rl.close();
    input.setRawMode?.(wasRaw);
    if (wasFlowing) input.resume();
    asking.delete(input);
  }
}
