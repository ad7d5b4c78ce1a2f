import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type Redactor, redactor as sharedRedactor } from '../logging/redact.js';
import { ControlError } from './errors.js';
import {
  type ControlActionResult,
  type ControlResponse,
  encodeLine,
  LineBuffer,
  MAX_LINE_BYTES,
  requestSchema,
} from './protocol.js';
import { ensureFallbackSocketDir } from './socket-dir.js';
import { controlSocketPath, fallbackSocketDir } from './socket-path.js';
import { ensureStateDir } from './state-dir.js';
import { readStateRecord } from './state-record.js';
import { type StatusSnapshot, toStatusJson } from './status.js';

/** What the running supervisor does for each control command. */
export interface ControlHandlers {
  getStatus(): StatusSnapshot;
  /** Re-read and verify credentials now; resolve with a sentence for the person who asked. */
  reload(acceptAccount?: string): Promise<ControlActionResult>;
  /**
   * Stop the child and the supervisor; resolve once the child is stopped, before the process exits,
   * so the reply reaches `cred-supervisor stop`. Do not await `close()` of this server in here.
   */
  stop(): Promise<ControlActionResult>;
  /** Restart one process of a Procfile (`cred-supervisor restart NAME`); rejects with why not. */
  restart?(name: string): Promise<ControlActionResult>;
  /**
   * Hand `code` to the pending MFA question (`cred-supervisor mfa CODE`); throw when there is none or
   * the code is malformed. Absent: this supervisor never asks over the socket.
   */
  answerMfa?(code: string): ControlActionResult;
}

export interface ControlServerOptions {
  /** Scrubs error texts before they are sent. Default: the process-wide redactor. */
  redactor?: Redactor;
  /** Overrides the computed socket path (tests). */
  socketPath?: string;
  /**
   * The listening socket failed (e.g. EMFILE on accept: out of file descriptors). The server keeps
   * listening; the caller should log it. Default: ignored.
   */
  onError?: (error: Error) => void;
}

export interface ControlServer {
  readonly socketPath: string;
  /** Stop listening, let replies in flight finish (briefly), remove the socket file. */
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 1000;
const CLOSE_GRACE_MS = 2000;

/**
 * Listens on the control socket of `stateDir` (mode 600, in a folder only the user can enter) and
 * answers `status`, `reload` and `stop`. A socket file left by a dead supervisor is removed; one that
 * still answers is refused, never shared.
 */
export async function startControlServer(
  stateDir: string,
  handlers: ControlHandlers,
  options: ControlServerOptions = {},
): Promise<ControlServer> {
  const socketPath = options.socketPath ?? controlSocketPath(stateDir);
  const redactor = options.redactor ?? sharedRedactor;
  const socketDir = path.dirname(socketPath);
  if (socketDir === fallbackSocketDir()) await ensureFallbackSocketDir(socketDir);
  else await ensureStateDir(socketDir);
  await removeStaleSocket(socketPath, stateDir);

  const connections = new Map<net.Socket, ConnectionState>();
  const server = net.createServer((socket) => {
    const state: ConnectionState = { busy: 0, closing: false, idle: () => true };
    connections.set(socket, state);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, state, handlers, redactor);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ControlError('PROTOCOL', `Cannot listen on ${socketPath}: ${error.message}.`)),
    );
    server.listen(socketPath, () => resolve());
  });
  // After listening, an 'error' is a failed accept (EMFILE, ENFILE): without a listener it would
  // end the process. The connection is simply not taken; the server goes on listening.
  server.on('error', (error) => options.onError?.(error));
  // Permission on the socket file is what keeps other users out when it lives under the temp dir.
  await fs.chmod(socketPath, 0o600);

  let closed: Promise<void> | null = null;
  return {
    socketPath,
    close() {
      closed ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const [socket, state] of connections) {
          state.closing = true;
          if (state.idle()) socket.end();
        }
        // The grace timer is cancelled once the race is over: left running, it kept the process alive
        // for the full grace after every stop.
        const grace = new AbortController();
        await Promise.race([
          serverClosed,
          delay(CLOSE_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined),
        ]);
        grace.abort();
        for (const socket of connections.keys()) socket.destroy();
        await serverClosed;
        await fs.rm(socketPath, { force: true });
      })();
      return closed;
    },
  };
}

interface ConnectionState {
  busy: number;
  closing: boolean;
  /** No request waiting or being answered: the connection can be ended without losing a reply. */
  idle: () => boolean;
}

/**
 * Requests read ahead of their answers, per connection. Past this the socket is no longer read, so
 * a client that sends without reading its replies fills its own socket buffers, not our memory.
 */
const MAX_QUEUED_REQUESTS = 16;

function serveConnection(
  socket: net.Socket,
  state: ConnectionState,
  handlers: ControlHandlers,
  redactor: Redactor,
): void {
  const lines = new LineBuffer();
  // Requests on one connection are answered in order, one at a time.
  const queued: string[] = [];
  let answering = false;
  state.idle = () => !answering && queued.length === 0;
  socket.setEncoding('utf8');
  socket.on('error', () => {
    // The client went away; nothing to answer.
  });
  const pump = async () => {
    if (answering) return;
    answering = true;
    for (let line = queued.shift(); line !== undefined && !socket.destroyed; line = queued.shift()) {
      state.busy += 1;
      const response = await answer(line, handlers, redactor);
      state.busy -= 1;
      if (socket.destroyed) break;
      // A reply the client has not read yet is buffered; the next one waits until it has.
      if (!socket.write(encodeLine(response))) await drainedOrClosed(socket);
    }
    queued.length = 0;
    answering = false;
    if (socket.destroyed) return;
    if (state.closing) socket.end();
    else if (socket.isPaused()) socket.resume();
  };
  socket.on('data', (chunk: string) => {
    queued.push(...lines.push(chunk));
    if (lines.pendingBytes > MAX_LINE_BYTES) {
      queued.length = 0;
      socket.end(encodeLine({ id: null, ok: false, error: 'Request too long.' }));
      return;
    }
    if (queued.length >= MAX_QUEUED_REQUESTS) socket.pause();
    void pump();
  });
}

function drainedOrClosed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

async function answer(line: string, handlers: ControlHandlers, redactor: Redactor): Promise<ControlResponse> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { id: null, ok: false, error: 'Expected one JSON object per line.' };
  }
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    return {
      id: typeof id === 'number' && Number.isInteger(id) ? id : null,
      ok: false,
      error:
        'Expected {"id": <integer>, "command": "status" | "reload" | "stop" | "restart" | "mfa", "name"?: <string>}.',
    };
  }
  const { id, command, acceptAccount, name } = parsed.data;
  try {
    switch (command) {
      case 'status':
        return { id, ok: true, result: toStatusJson(handlers.getStatus()) };
      case 'reload':
        return { id, ok: true, result: { message: (await handlers.reload(acceptAccount)).message } };
      case 'stop':
        return { id, ok: true, result: { message: (await handlers.stop()).message } };
      case 'restart': {
        if (!handlers.restart || name === undefined) {
          return {
            id,
            ok: false,
            error: 'This supervisor runs one command; `restart NAME` needs --procfile.',
          };
        }
        return { id, ok: true, result: { message: (await handlers.restart(name)).message } };
      }
      case 'mfa': {
        // The code itself is never echoed back or logged.
        if (!handlers.answerMfa)
          return { id, ok: false, error: 'This supervisor is not waiting for an MFA code.' };
        return { id, ok: true, result: { message: handlers.answerMfa(parsed.data.code ?? '').message } };
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { id, ok: false, error: redactor.scrubText(message) };
  }
}

/**
 * A socket file with no listener is what a killed supervisor leaves; it is removed. A socket that
 * answers belongs to a running process and is never taken over. Anything else at the path is refused.
 */
async function removeStaleSocket(socketPath: string, stateDir: string): Promise<void> {
  const stat = await fs.lstat(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (stat === null) return;
  if (!stat.isSocket()) {
    throw new ControlError(
      'STATE_DIR_INVALID',
      `Expected ${socketPath} to be the control socket, got something else. Remove it and start again.`,
    );
  }
  if (await answers(socketPath)) {
    const recorded = readStateRecord(stateDir)?.pid;
    const who =
      recorded === undefined || recorded === process.pid
        ? 'Another process'
        : `Another process (the state record names pid ${recorded})`;
    throw new ControlError(
      'LOCKED',
      `${who} is listening on the control socket ${socketPath}. Stop it with \`cred-supervisor stop\`.`,
    );
  }
  await fs.rm(socketPath, { force: true });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    const done = (result: boolean) => {
      probe.destroy();
      resolve(result);
    };
    probe.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false));
  });
}
