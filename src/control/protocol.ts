import { z } from 'zod';
import { ACCOUNT_ID_PATTERN } from '../config/account-id.js';

/**
 * The control protocol: one JSON object per line each way, over the unix socket.
 *   → {"id":1,"command":"status"}      (`mfa` also carries `"code"`)
 *   ← {"id":1,"ok":true,"result":{...}}   or   {"id":1,"ok":false,"error":"message"}
 */
export const CONTROL_COMMANDS = ['status', 'reload', 'stop', 'mfa'] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

/** What `reload` and `stop` answer: a sentence for the person who asked. */
export interface ControlActionResult {
  message: string;
}

export const requestSchema = z.object({
  id: z.number().int(),
  command: z.enum(CONTROL_COMMANDS),
  /** `mfa` only: the code that answers the supervisor's pending MFA question. */
  code: z.string().max(64).optional(),
  /** `reload --accept-account ID`: the person confirms switching the command to this account. */
  acceptAccount: z.string().regex(ACCOUNT_ID_PATTERN).optional(),
});
export type ControlRequest = z.infer<typeof requestSchema>;

export const responseSchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int().nullable(), ok: z.literal(false), error: z.string() }),
]);
export type ControlResponse = z.infer<typeof responseSchema>;

export const actionResultSchema = z.object({ message: z.string() });

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
