/**
 * A local stand-in for AWS STS on 127.0.0.1, speaking the real Query API (form-encoded POST,
 * XML answers, the real error codes and HTTP statuses). `cred-supervisor demo` runs the whole loop
 * against it, and the test suite uses it as its fake STS: keys can be issued, expired and revoked,
 * and the service can go down, be slow, fail with 5xx or throttle.
 *
 * It only ever binds the loopback interface.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type KeyState = 'valid' | 'expired' | 'revoked';

export interface LocalStsKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  account: string;
  arn: string;
  userId: string;
  expiration?: Date;
  state: KeyState;
}

export interface LocalStsRequest {
  /** `GetCallerIdentity`, `AssumeRole`, `DescribeStacks`, … or `unknown`. */
  action: string;
  /** The service named in the SigV4 credential scope (`sts`, `cloudformation`, …). */
  service: string | undefined;
  accessKeyId: string | undefined;
  /** What the fake answered. */
  status: number;
  errorCode?: string;
  at: number;
}

export interface IssueKeyOptions {
  account?: string;
  arn?: string;
  /** `ASIA` (temporary, with a session token; the default) or `AKIA` (long-term). */
  prefix?: 'ASIA' | 'AKIA';
  /** Lifetime from now; temporary keys default to one hour. */
  ttlMs?: number;
}

/** What a custom action handler answers. `body` is XML for Query services. */
export interface ActionReply {
  status: number;
  body: string;
  contentType?: string;
}

export type ActionHandler = (
  params: URLSearchParams,
  caller: LocalStsKey,
  request: LocalStsRequest,
) => ActionReply;

export interface LocalStsOptions {
  /** Port to bind on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The MFA code AssumeRole / GetSessionToken accept when a SerialNumber is sent. */
  mfaCode?: string;
}

export const DEFAULT_ACCOUNT = '123456789012';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeyIdSuffix(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const byte of bytes) out += KEY_ID_ALPHABET[byte % KEY_ID_ALPHABET.length];
  return out;
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorXml(code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender'): string {
  return (
    `<ErrorResponse xmlns="${STS_NS}"><Error><Type>${type}</Type><Code>${code}</Code>` +
    `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function resultXml(action: string, inner: string): string {
  return (
    `<${action}Response xmlns="${STS_NS}"><${action}Result>${inner}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** `Credential=AKID/20261128/us-east-1/sts/aws4_request` → key id and service. */
export function parseSigV4Credential(
  authorization: string | undefined,
  query: URLSearchParams,
): { accessKeyId?: string; service?: string } {
  const scope =
    /Credential=([^,\s]+)/.exec(authorization ?? '')?.[1] ?? query.get('X-Amz-Credential') ?? undefined;
  if (!scope) return {};
  const [accessKeyId, , , service] = scope.split('/');
  return { accessKeyId, service };
}

export class LocalSts {
  readonly keys = new Map<string, LocalStsKey>();
  readonly requests: LocalStsRequest[] = [];
  /** Artificial latency added before every answer. */
  latencyMs = 0;
  private failures: { status: number; code: string; message: string }[] = [];
  private handlers = new Map<string, ActionHandler>();
  private server: http.Server;
  private sockets = new Set<Socket>();
  private listeners = new Set<() => void>();
  private boundPort = 0;
  private readonly mfaCode: string;

  private constructor(options: LocalStsOptions) {
    this.mfaCode = options.mfaCode ?? '123456';
    this.server = this.createServer();
  }

  static async start(options: LocalStsOptions = {}): Promise<LocalSts> {
    const sts = new LocalSts(options);
    await sts.listen(options.port ?? 0);
    return sts;
  }

  get port(): number {
    return this.boundPort;
  }

  /** The endpoint URL to give the SDK (`AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL`). */
  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Issues a fresh key (temporary by default) for an account and returns it. */
  issueKey(options: IssueKeyOptions = {}): LocalStsKey {
    const prefix = options.prefix ?? 'ASIA';
    const account = options.account ?? DEFAULT_ACCOUNT;
    const accessKeyId = `${prefix}${randomKeyIdSuffix()}`;
    const ttlMs = options.ttlMs ?? (prefix === 'ASIA' ? 3_600_000 : undefined);
    const key: LocalStsKey = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: prefix === 'ASIA' ? randomBytes(96).toString('base64') : undefined,
      account,
      arn: options.arn ?? `arn:aws:sts::${account}:assumed-role/Developer/dev-session`,
      userId: `AROA${randomKeyIdSuffix()}:dev-session`,
      expiration: ttlMs === undefined ? undefined : new Date(Date.now() + ttlMs),
      state: 'valid',
    };
    this.keys.set(accessKeyId, key);
    return key;
  }

  addKey(key: Omit<LocalStsKey, 'state' | 'userId'> & Partial<Pick<LocalStsKey, 'state' | 'userId'>>): void {
    this.keys.set(key.accessKeyId, { state: 'valid', userId: `AIDA${randomKeyIdSuffix()}`, ...key });
  }

  /** STS will answer `ExpiredToken` (400) for this key from now on. */
  expireKey(accessKeyId: string): void {
    this.mustGet(accessKeyId).state = 'expired';
  }

  /** STS will answer `InvalidClientTokenId` (403) for this key from now on. */
  revokeKey(accessKeyId: string): void {
    this.mustGet(accessKeyId).state = 'revoked';
  }

  /** The next `count` requests fail with this status and code (500 InternalFailure, 400 Throttling…). */
  failNext(
    count: number,
    status = 500,
    code = 'InternalFailure',
    message = 'An internal error occurred.',
  ): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, code, message });
  }

  /** Custom answer for another action (e.g. CloudFormation `DescribeStacks` for a CDK test). */
  handle(action: string, handler: ActionHandler): void {
    this.handlers.set(action, handler);
  }

  requestsBy(accessKeyId: string): LocalStsRequest[] {
    return this.requests.filter((r) => r.accessKeyId === accessKeyId);
  }

  /** Resolves with the first request (already seen or future) matching `predicate`. */
  waitForRequest(predicate: (r: LocalStsRequest) => boolean, timeoutMs = 10_000): Promise<LocalStsRequest> {
    const seen = this.requests.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.requests.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(
          new Error(`LocalSts: no matching request within ${timeoutMs} ms (${this.requests.length} seen)`),
        );
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  /** Stops listening: clients now get ECONNREFUSED, as when the network or STS is down. */
  async goDown(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again on the same port after `goDown()`. */
  async comeBack(): Promise<void> {
    this.server = this.createServer();
    await this.listen(this.boundPort);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.goDown();
  }

  private mustGet(accessKeyId: string): LocalStsKey {
    const key = this.keys.get(accessKeyId);
    if (!key) throw new Error(`LocalSts: unknown access key id ${accessKeyId}`);
    return key;
  }

  private async listen(port: number): Promise<void> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  private createServer(): http.Server {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const reply = this.answer(req, Buffer.concat(chunks).toString('utf8'));
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/xml' });
          res.end(reply.body);
        };
        if (this.latencyMs > 0) setTimeout(send, this.latencyMs).unref();
        else send();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private answer(req: http.IncomingMessage, body: string): ActionReply {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = new URLSearchParams(body);
    for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
    const target = req.headers['x-amz-target'];
    const action = params.get('Action') ?? (typeof target === 'string' ? target.split('.').pop() : undefined);
    const { accessKeyId, service } = parseSigV4Credential(req.headers.authorization, url.searchParams);
    const record: LocalStsRequest = {
      action: action ?? 'unknown',
      service,
      accessKeyId,
      status: 200,
      at: Date.now(),
    };
    const reply = this.decide(record, params, req.headers['x-amz-security-token']);
    record.status = reply.status;
    const code = /<Code>([^<]+)<\/Code>/.exec(reply.body)?.[1];
    if (code) record.errorCode = code;
    this.requests.push(record);
    for (const listener of [...this.listeners]) listener();
    return reply;
  }

  private decide(
    record: LocalStsRequest,
    params: URLSearchParams,
    securityToken: string | string[] | undefined,
  ): ActionReply {
    const failure = this.failures.shift();
    if (failure) {
      return {
        status: failure.status,
        body: errorXml(failure.code, failure.message, failure.status >= 500 ? 'Receiver' : 'Sender'),
      };
    }
    if (!record.accessKeyId) {
      return {
        status: 403,
        body: errorXml('MissingAuthenticationToken', 'Request is missing Authentication Token'),
      };
    }
    const key = this.keys.get(record.accessKeyId);
    const tokenMatches = key?.sessionToken === undefined || key.sessionToken === securityToken;
    if (!key || key.state === 'revoked' || !tokenMatches) {
      return {
        status: 403,
        body: errorXml('InvalidClientTokenId', 'The security token included in the request is invalid.'),
      };
    }
    const pastExpiry = key.expiration !== undefined && key.expiration.getTime() <= Date.now();
    if (key.state === 'expired' || pastExpiry) {
      return {
        status: 400,
        body: errorXml('ExpiredToken', 'The security token included in the request is expired'),
      };
    }
    const custom = this.handlers.get(record.action);
    if (custom) return custom(params, key, record);
    switch (record.action) {
      case 'GetCallerIdentity':
        return {
          status: 200,
          body: resultXml(
            'GetCallerIdentity',
            `<Arn>${xmlEscape(key.arn)}</Arn><UserId>${xmlEscape(key.userId)}</UserId><Account>${key.account}</Account>`,
          ),
        };
      case 'AssumeRole':
        return this.assumeRole(params, key);
      case 'GetSessionToken':
        return this.getSessionToken(params, key);
      default:
        return {
          status: 400,
          body: errorXml('InvalidAction', `The action ${record.action} is not valid for this endpoint.`),
        };
    }
  }

  private mfaProblem(params: URLSearchParams): ActionReply | undefined {
    if (!params.get('SerialNumber')) return undefined;
    if (params.get('TokenCode') === this.mfaCode) return undefined;
    return {
      status: 403,
      body: errorXml('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.'),
    };
  }

  private durationMs(params: URLSearchParams, fallbackSeconds: number): number {
    const seconds = Number(params.get('DurationSeconds') ?? fallbackSeconds);
    return (Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds) * 1000;
  }

  private credentialsXml(issued: LocalStsKey): string {
    return (
      `<Credentials><AccessKeyId>${issued.accessKeyId}</AccessKeyId>` +
      `<SecretAccessKey>${xmlEscape(issued.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xmlEscape(issued.sessionToken ?? '')}</SessionToken>` +
      `<Expiration>${issued.expiration?.toISOString()}</Expiration></Credentials>`
    );
  }

  private assumeRole(params: URLSearchParams, _caller: LocalStsKey): ActionReply {
    const mfa = this.mfaProblem(params);
    if (mfa) return mfa;
    const roleArn = params.get('RoleArn') ?? '';
    const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
    if (!match) {
      return { status: 400, body: errorXml('ValidationError', `Invalid RoleArn: expected an IAM role ARN.`) };
    }
    const [, account, roleName] = match as unknown as [string, string, string];
    const sessionName = params.get('RoleSessionName') ?? 'session';
    const issued = this.issueKey({
      account,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
      ttlMs: this.durationMs(params, 3600),
    });
    return {
      status: 200,
      body: resultXml(
        'AssumeRole',
        `${this.credentialsXml(issued)}<AssumedRoleUser><AssumedRoleId>${xmlEscape(issued.userId)}</AssumedRoleId>` +
          `<Arn>${xmlEscape(issued.arn)}</Arn></AssumedRoleUser>`,
      ),
    };
  }

  private getSessionToken(params: URLSearchParams, caller: LocalStsKey): ActionReply {
    const mfa = this.mfaProblem(params);
    if (mfa) return mfa;
    const issued = this.issueKey({
      account: caller.account,
      arn: caller.arn,
      ttlMs: this.durationMs(params, 43_200),
    });
    return { status: 200, body: resultXml('GetSessionToken', this.credentialsXml(issued)) };
  }
}
