import net from 'node:net';
import path from 'node:path';
import { ControlError } from './errors.js';
import {
  actionResultSchema,
  type ControlActionResult,
  type ControlCommand,
  encodeLine,
  LineBuffer,
  MAX_LINE_BYTES,
  responseSchema,
} from './protocol.js';
import { controlSocketPath } from './socket-path.js';
import { readStateRecord } from './state-record.js';
import { type StatusSnapshot, statusSnapshotSchema, toStatusJson } from './status.js';

export interface ControlClientOptions {
  /** How long to wait for the answer. Defaults: status 3 s, reload 30 s, stop 60 s. */
  timeoutMs?: number;
  /** Overrides the computed socket path (tests). */
  socketPath?: string;
  /** `reload` only: the account the person confirms switching to. */
  acceptAccount?: string;
  /** `restart`: the process to restart. */
  name?: string;
}

export const DEFAULT_TIMEOUTS_MS: Record<ControlCommand, number> = {
  status: 3000,
  // Reload verifies credentials with STS; stop waits for the child's grace period.
  reload: 30_000,
  stop: 60_000,
  // The supervisor only hands the code to the pending question.
  mfa: 10_000,
  // A restart waits for the old process group to stop (its grace period).
  restart: 60_000,
};

const STOPPED: ControlActionResult = { message: 'The supervisor stopped.' };

/**
 * Sends one command to the supervisor running for `stateDir` and returns its result.
 * Throws ControlError: NO_SUPERVISOR when nothing listens (no socket, or a stale one), TIMEOUT,
 * REFUSED when the supervisor answered with an error, PROTOCOL for anything else.
 */
export async function sendControlCommand(
  stateDir: string,
  command: ControlCommand,
  options: ControlClientOptions = {},
  fields: { code?: string } = {},
): Promise<unknown> {
  const dir = path.resolve(stateDir);
  const socketPath = options.socketPath ?? controlSocketPath(dir);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUTS_MS[command];
  const id = 1;

  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    const lines = new LineBuffer();
    let settled = false;
    const finish = (error: Error | null, result?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(result);
    };
    const timer = setTimeout(() => finish(notAnswering(dir, command, timeoutMs)), timeoutMs);

    let connected = false;
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      const accept = options.acceptAccount ? { acceptAccount: options.acceptAccount } : {};
      const name = options.name === undefined ? {} : { name: options.name };
      socket.write(encodeLine({ id, command, ...accept, ...name, ...fields }));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (command === 'stop' && connected) finish(null, STOPPED);
      else if (connected) finish(stoppingError(dir, command));
      else finish(connectionError(dir, socketPath, error));
    });
    socket.on('data', (chunk: string) => {
      const [line] = lines.push(chunk);
      if (line === undefined) {
        if (lines.pendingBytes > MAX_LINE_BYTES) finish(protocolError(dir, 'an over-long reply'));
        return;
      }
      finish(...readResponse(dir, line, id));
    });
    socket.on('end', () => {
      // `stop` ends with the supervisor exiting; losing the connection then means it did stop.
      // Our supervisor hangs up without answering only while it shuts down.
      if (command === 'stop') finish(null, STOPPED);
      else finish(stoppingError(dir, command));
    });
  });
}

export async function requestStatus(
  stateDir: string,
  options?: ControlClientOptions,
): Promise<StatusSnapshot> {
  const result = await sendControlCommand(stateDir, 'status', options);
  const parsed = statusSnapshotSchema.safeParse(result);
  if (!parsed.success) throw protocolError(path.resolve(stateDir), 'a status of an unknown shape');
  return toStatusJson(parsed.data);
}

export function requestReload(
  stateDir: string,
  options?: ControlClientOptions,
): Promise<ControlActionResult> {
  return requestAction(stateDir, 'reload', options);
}

export function requestStop(stateDir: string, options?: ControlClientOptions): Promise<ControlActionResult> {
  return requestAction(stateDir, 'stop', options);
}

export function requestRestart(
  stateDir: string,
  name: string,
  options?: ControlClientOptions,
): Promise<ControlActionResult> {
  return requestAction(stateDir, 'restart', { ...options, name });
}

/** Answers the supervisor's pending MFA question (`cred-supervisor mfa CODE`). */
export function requestMfaAnswer(
  stateDir: string,
  code: string,
  options?: ControlClientOptions,
): Promise<ControlActionResult> {
  return requestAction(stateDir, 'mfa', options, { code });
}

async function requestAction(
  stateDir: string,
  command: 'reload' | 'stop' | 'restart' | 'mfa',
  options?: ControlClientOptions,
  fields?: { code?: string },
): Promise<ControlActionResult> {
  const parsed = actionResultSchema.safeParse(await sendControlCommand(stateDir, command, options, fields));
  if (!parsed.success)
    throw protocolError(path.resolve(stateDir), `a \`${command}\` result of an unknown shape`);
  return parsed.data;
}

function readResponse(dir: string, line: string, id: number): [Error | null, unknown?] {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return [protocolError(dir, 'a reply that is not JSON')];
  }
  const parsed = responseSchema.safeParse(raw);
  if (!parsed.success || (parsed.data.ok && parsed.data.id !== id)) {
    return [protocolError(dir, 'a reply of an unknown shape')];
  }
  if (!parsed.data.ok) {
    return [new ControlError('REFUSED', `The cred-supervisor in ${dir} answered: ${parsed.data.error}`)];
  }
  return [null, parsed.data.result];
}

function connectionError(dir: string, socketPath: string, error: NodeJS.ErrnoException): ControlError {
  // No socket, or a socket file nobody listens on (left by a killed supervisor): nothing runs here.
  if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED' || error.code === 'ENOTDIR') {
    return new ControlError('NO_SUPERVISOR', `No cred-supervisor is running in ${dir}.`);
  }
  // Reset while connecting or writing: it hung up, which a supervisor does only on its way out.
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    return new ControlError(
      'STOPPING',
      `The cred-supervisor in ${dir} closed the connection: it is stopping.`,
    );
  }
  return new ControlError(
    'PROTOCOL',
    `Cannot reach the cred-supervisor in ${dir} through ${socketPath}: ${error.message}.`,
  );
}

function stoppingError(dir: string, command: ControlCommand): ControlError {
  return new ControlError(
    'STOPPING',
    `The cred-supervisor in ${dir} closed the connection without answering \`${command}\`: it is stopping.`,
  );
}

function notAnswering(dir: string, command: ControlCommand, timeoutMs: number): ControlError {
  const pid = readStateRecord(dir)?.pid;
  const who = pid === undefined ? 'The cred-supervisor' : `The cred-supervisor (pid ${pid})`;
  return new ControlError(
    'TIMEOUT',
    `${who} in ${dir} did not answer \`${command}\` within ${timeoutMs} ms. It may be busy or hung.`,
  );
}

function protocolError(dir: string, what: string): ControlError {
  return new ControlError(
    'PROTOCOL',
    `Expected a control reply from the cred-supervisor in ${dir}, got ${what}. Are both the same version?`,
  );
}
