import { ACCOUNT_ID_PATTERN } from '../config/account-id.js';
import { isInteger, isOneOf, isRecord, shape } from './shape.js';

/**
 * The control protocol: one JSON object per line each way, over the unix socket.
 *   → {"id":1,"command":"status"}      (`mfa` also carries `"code"`)
 *   ← {"id":1,"ok":true,"result":{...}}   or   {"id":1,"ok":false,"error":"message"}
 */
export const CONTROL_COMMANDS = ['status', 'reload', 'stop', 'restart', 'mfa'] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

/** What `reload` and `stop` answer: a sentence for the person who asked. */
export interface ControlActionResult {
  message: string;
}

export interface ControlRequest {
  id: number;
  command: ControlCommand;
  /** `reload --accept-account ID`: the person confirms switching the command to this account. */
  acceptAccount?: string;
  /** `restart NAME`: the process of the Procfile to restart. */
  name?: string;
  /** `mfa` only: the code that answers the supervisor's pending MFA question (at most 64 characters). */
  code?: string;
}

export type ControlResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number | null; ok: false; error: string };

export const requestSchema = shape<ControlRequest>((value) => {
  if (!isRecord(value) || !isInteger(value.id) || !isOneOf(CONTROL_COMMANDS, value.command)) return undefined;
  const request: ControlRequest = { id: value.id, command: value.command };
  const { acceptAccount, code, name } = value;
  if (acceptAccount !== undefined) {
    if (typeof acceptAccount !== 'string' || !ACCOUNT_ID_PATTERN.test(acceptAccount)) return undefined;
    request.acceptAccount = acceptAccount;
  }
  if (name !== undefined) {
    if (typeof name !== 'string' || name === '' || name.length > 200) return undefined;
    request.name = name;
  }
  if (code !== undefined) {
    if (typeof code !== 'string' || code.length > 64) return undefined;
    request.code = code;
  }
  return request;
});

export const responseSchema = shape<ControlResponse>((value) => {
  if (!isRecord(value)) return undefined;
  if (value.ok === true && isInteger(value.id)) {
    return { id: value.id, ok: true, result: value.result };
  }
  if (value.ok === false && (value.id === null || isInteger(value.id)) && typeof value.error === 'string') {
    return { id: value.id, ok: false, error: value.error };
  }
  return undefined;
});

export const actionResultSchema = shape<ControlActionResult>((value) =>
  isRecord(value) && typeof value.message === 'string' ? { message: value.message } : undefined,
);

/** A request or reply longer than this is not ours; the connection is dropped. */
export const MAX_LINE_BYTES = 64 * 1024;

export function encodeLine(message: ControlRequest | ControlResponse): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * Splits a byte stream into lines. Returns the complete lines and keeps the partial rest, so a
 * message split across TCP-like chunks is read whole.
 */
export class LineBuffer {
  #pending = '';

  push(chunk: string): string[] {
    this.#pending += chunk;
    const lines = this.#pending.split('\n');
    this.#pending = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '');
  }

  get pendingBytes(): number {
    return Buffer.byteLength(this.#pending);
  }
}
