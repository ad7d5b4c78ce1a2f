/**
 * The loopback container-credentials endpoint an SDK child reads its credentials from
 * (`AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`). Swapping what it
 * serves hands new credentials to a running child without a restart.
 *
 * Who can reach it: only processes on this machine (it binds 127.0.0.1 and nothing else), and of
 * those only the ones that can read the token file (mode 600 in the state dir) and send a loopback
 * Host header. The security decisions themselves live in `credential-answer.ts`.
 */

import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { AwsCredentials } from '../credentials/types.js';
import { registerSecret } from '../logging/redact.js';
import { DEFAULT_LEASE_MS, validateLeaseMs } from './advertised-expiration.js';
import {
  answerCredentialRequest,
  DEFAULT_UNAVAILABLE_REASON,
  type EndpointIdentity,
  type ServedCredentials,
} from './credential-answer.js';
import { ensurePrivateDir, removeFileIfContentIs, writePrivateFileAtomically } from './private-file.js';

export const LOOPBACK_HOST = '127.0.0.1';
export const TOKEN_FILE_NAME = 'endpoint.token';

export interface CredentialEndpointOptions {
  /** Where the token file is written (created with mode 700 when missing). */
  stateDir: string;
  /** How long after each fetch the SDK asks again; see `advertised-expiration.ts`. Default 60 s. */
  leaseMs?: number;
  /** The clock, in epoch milliseconds; injected by tests. */
  now?: () => number;
  /** Only `127.0.0.1` is accepted: the endpoint is never reachable from another machine. */
  host?: string;
  /** What to serve from the first request on; until `serve()` is called the endpoint answers 503. */
  credentials?: AwsCredentials;
  /** Most connections held open at once (default 64); see {@link capConnections}. */
  maxConnections?: number;
  /** The listening socket failed (EMFILE on accept); it goes on listening. Default: ignored. */
  onError?: (error: Error) => void;
}

/**
 * The only legitimate client is an SDK on this machine asking for a few hundred bytes, one request
 * at a time: a handful of connections is plenty, and a header that takes more than 2 s is not it.
 */
export const DEFAULT_MAX_CONNECTIONS = 64;
const HEADERS_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 5_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_000;
/** How often Node looks for connections past the header/request timeouts (its default is 30 s). */
const TIMEOUT_CHECK_MS = 500;
const MAX_HEADER_BYTES = 8 * 1024;

/** One answered request, without any secret. */
export interface CredentialRequestEvent {
  at: number;
  status: number;
  /** The key id handed out, when the answer carried credentials. */
  accessKeyId?: string;
  /** Which client token fetched them ({@link CredentialEndpoint.issueClientToken}), if one did. */
  client?: string;
}

/** A token of one child's own, in a file of its own (mode 600) next to the endpoint's token file. */
export interface ClientToken {
  /** Names the client in request events; not a secret. */
  readonly id: string;
  /** Absolute path: this child's `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`. */
  readonly tokenFile: string;
  /** From now on the token is refused and its file is gone. */
  revoke(): Promise<void>;
}

export interface CredentialEndpointEvents {
  request: [CredentialRequestEvent];
}

function validateHost(host: unknown): void {
  if (host !== undefined && host !== LOOPBACK_HOST) {
    throw new TypeError(
      `Expected the \`host\` option of the credential endpoint to be \`${LOOPBACK_HOST}\` (loopback only), got \`${String(host)}\`.`,
    );
  }
}

function copyCredentials(credentials: AwsCredentials): AwsCredentials {
  return {
    ...credentials,
    expiration: credentials.expiration ? new Date(credentials.expiration) : undefined,
  };
}

export class CredentialEndpoint extends EventEmitter<CredentialEndpointEvents> {
  /** `http://127.0.0.1:PORT/<random path>`: the value of `AWS_CONTAINER_CREDENTIALS_FULL_URI`. */
  readonly url: string;
  /** Absolute path of the token file: the value of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`. */
  readonly tokenFile: string;
  readonly port: number;
  readonly leaseMs: number;
  private served: ServedCredentials = { kind: 'unavailable', reason: DEFAULT_UNAVAILABLE_REASON };
  private requests = 0;
  private lastRequest: number | undefined;
  private closing: Promise<void> | undefined;
  /** Client tokens in force, by id. */
  private readonly clients = new Map<string, string>();

  /** Use {@link startCredentialEndpoint}. */
  constructor(
    private readonly server: http.Server,
    private readonly identity: EndpointIdentity,
    tokenFile: string,
    leaseMs: number,
    private readonly now: () => number,
  ) {
    super();
    this.port = identity.port;
    this.url = `http://${LOOPBACK_HOST}:${identity.port}${identity.path}`;
    this.tokenFile = tokenFile;
    this.leaseMs = leaseMs;
    server.on('request', (req, res) => this.handle(req, res));
  }

  /** How many requests were answered (any status). */
  get requestCount(): number {
    return this.requests;
  }

  /** When the last request was answered, in epoch milliseconds. */
  get lastRequestAt(): number | undefined {
    return this.lastRequest;
  }

  /** The socket address; always 127.0.0.1. */
  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /**
   * Swaps what is served from the next request on. `null` withdraws the credentials: requests get
   * 503 `CredentialsUnavailable` with `reason` (which must not contain a secret). An SDK child keeps
   * using what it already holds until the advertised expiration, at most 5 min + `leaseMs` away
   * (its failed background refreshes are silent), so withdrawing is not a way to stop a child.
   * A child holding nothing fails each call after ~3 s (`fromHttp` tries 4 times, 1 s apart, then the
   * SDK's token-less `fromContainerMetadata` fallback, which gets 403) with `CredentialsProviderError`.
   */
  serve(credentials: AwsCredentials | null, reason?: string): void {
    this.served = credentials
      ? { kind: 'credentials', credentials: copyCredentials(credentials) }
      : { kind: 'unavailable', reason: reason ?? DEFAULT_UNAVAILABLE_REASON };
  }

  /**
   * A token for one child alone, so that the endpoint can tell which child fetched what (the
   * `client` of request events): several children sharing one endpoint each get their own. The
   * endpoint's own token keeps working; this one works until revoked (or the endpoint closes).
   */
  async issueClientToken(): Promise<ClientToken> {
    const id = randomBytes(6).toString('hex');
    const token = registered(randomBytes(32).toString('hex'));
    const tokenFile = this.clientTokenFile(id);
    await writePrivateFileAtomically(tokenFile, token);
    this.clients.set(id, token);
    return { id, tokenFile, revoke: () => this.revokeClient(id, token) };
  }

  /** Named by the client id, never by anything secret. */
  private clientTokenFile(id: string): string {
    return path.join(path.dirname(this.tokenFile), `endpoint-${id}.token`);
  }

  private async revokeClient(id: string, token: string): Promise<void> {
    this.clients.delete(id);
    await removeFileIfContentIs(this.clientTokenFile(id), token);
  }

  /** Stops listening, drops open connections and removes the token files (if they are still ours). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
      await closed;
      await removeFileIfContentIs(this.tokenFile, this.identity.token);
      await Promise.all([...this.clients].map(([id, token]) => this.revokeClient(id, token)));
    })();
    return this.closing;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const at = this.now();
    const authorization = req.headers.authorization;
    const answer = answerCredentialRequest(
      { method: req.method, target: req.url, host: req.headers.host, authorization },
      { ...this.identity, clients: this.clients },
      this.served,
      at,
      this.leaseMs,
    );
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    this.requests += 1;
    this.lastRequest = at;
    const event: CredentialRequestEvent = { at, status: answer.status };
    if (answer.accessKeyId !== undefined) event.accessKeyId = answer.accessKeyId;
    if (answer.client !== undefined) event.client = answer.client;
    this.emit('request', event);
  }
}

/** The token is a secret from its first moment: registered with the redactor where it is made. */
function registered(token: string): string {
  registerSecret(token);
  return token;
}

/** Binds 127.0.0.1 on a random port with a random path and token, and writes the token file. */
export async function startCredentialEndpoint(
  options: CredentialEndpointOptions,
): Promise<CredentialEndpoint> {
  validateHost(options.host);
  const leaseMs = validateLeaseMs(options.leaseMs ?? DEFAULT_LEASE_MS);
  const stateDir = path.resolve(options.stateDir);
  await ensurePrivateDir(stateDir);

  const server = http.createServer({
    requestTimeout: REQUEST_TIMEOUT_MS,
    headersTimeout: HEADERS_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    maxHeaderSize: MAX_HEADER_BYTES,
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  capConnections(server, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  server.listen(0, LOOPBACK_HOST);
  await once(server, 'listening');
  // From now on an 'error' is a failed accept (out of file descriptors): without a listener it would
  // end the process. That one connection is not taken; the server goes on listening.
  server.on('error', (error) => options.onError?.(error));
  const { port } = server.address() as AddressInfo;

  const identity: EndpointIdentity = {
    port,
    path: `/${randomBytes(16).toString('hex')}`,
    token: registered(randomBytes(32).toString('hex')),
  };
  const tokenFile = path.join(stateDir, TOKEN_FILE_NAME);
  try {
    // No trailing newline: the SDK sends the file's content verbatim as the Authorization header.
    await writePrivateFileAtomically(tokenFile, identity.token);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const endpoint = new CredentialEndpoint(server, identity, tokenFile, leaseMs, options.now ?? Date.now);
  if (options.credentials) endpoint.serve(options.credentials);
  return endpoint;
}

/**
 * Another local user needs no token to open connections and hold them idle; enough of them would
 * use up our file descriptors and lock the child out. So at most `max` are kept: when one more
 * arrives, the oldest that is not in the middle of a request is dropped (one that never sent a request
 * first). A client that connects and asks at once (the SDK) is answered within a millisecond, so
 * it is never the oldest idle one; an attacker's idle connections are, and make room for it.
 * (Refusing the newcomer instead, as `server.maxConnections` does, would let the attacker's held
 * connections lock the child out.)
 */
function capConnections(server: http.Server, max: number): void {
  const open = new Map<Socket, { requests: number; active: boolean }>();
  server.on('connection', (socket) => {
    if (open.size >= max) evictOne(open);
    const state = { requests: 0, active: false };
    open.set(socket, state);
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (req, res) => {
    const state = open.get(req.socket);
    if (!state) return;
    state.requests += 1;
    state.active = true;
    res.once('finish', () => {
      state.active = false;
    });
  });
}

function evictOne(open: Map<Socket, { requests: number; active: boolean }>): void {
  let victim: Socket | undefined;
  for (const [socket, state] of open) {
    if (state.active) continue;
    if (state.requests === 0) {
      victim = socket;
      break;
    }
    victim ??= socket;
  }
  if (!victim) return;
  open.delete(victim);
  victim.destroy();
}
