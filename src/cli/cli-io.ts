/** What a command may touch of the outside world; `main.ts` passes the real process's, tests their own. */

import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/** The terminal's input, for keys and the MFA prompt; absent in tests that do not need it. */
export type InputStream = Readable & {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
};

export interface CliIo {
  stdin?: InputStream;
  /**
   * The environment the person started us with. Children get (a cleaned copy of) this one, not
   * `process.env`, to which main.ts adds settings meant for this process only.
   */
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
}

/** FORCE_COLOR wins, then NO_COLOR (https://no-color.org), then "is it a terminal". */
export function useColor(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/**
 * `stream` as a Node `Writable`, for APIs that need one (readline, for the MFA prompt): the real
 * process streams are one already; a test's plain `{ write }` is wrapped.
 */
export function asWritable(stream: OutputStream): Writable {
  if (stream instanceof Writable) return stream;
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      stream.write(chunk.toString());
      callback();
    },
  });
}
