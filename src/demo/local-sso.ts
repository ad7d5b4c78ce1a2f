/**
 * A local stand-in for IAM Identity Center on 127.0.0.1: the SSO portal's GetRoleCredentials and the
 * SSO-OIDC service (RegisterClient, StartDeviceAuthorization, CreateToken with the device-code and
 * refresh-token grants), one server routed by path as the real REST APIs are. The SDK reaches it
 * through `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC` (see `ssoEndpointEnv`).
 *
 * Role credentials are issued by a LocalSts, so the keys the portal hands out verify against STS
 * like real ones. Controls: approve or deny a pending device login, expire the access tokens, end the
 * session (refresh fails), revoke a role (ForbiddenException, and its issued keys stop working).
 *
 * It only ever binds the loopback interface.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalSts } from './local-sts.js';

export type LocalSsoAction =
  | 'GetRoleCredentials'
  | 'RegisterClient'
  | 'StartDeviceAuthorization'
  | 'CreateToken'
  | 'unknown';

export interface LocalSsoRequest {
  action: LocalSsoAction;
  /** For CreateToken: which grant was asked for. */
  grantType?: string;
  /** For GetRoleCredentials: the bearer token it came with (the fake's own tokens; tests compare them). */
  bearer?: string;
  status: number;
  errorCode?: string;
  at: number;
}

export interface LocalSsoOptions {
  /** Seconds a device code lives (StartDeviceAuthorization `expiresIn`). */
  deviceCodeTtlSeconds?: number;
  /** Seconds the client should wait between CreateToken polls (`interval`). */
  pollIntervalSeconds?: number;
  /** Seconds an access token lives (`expiresIn`). */
  accessTokenTtlSeconds?: number;
  /** A device login is approved by itself after this many pending polls; undefined: wait for `approveDevice`. */
  autoApproveAfterPolls?: number;
  /** Milliseconds the role credentials of GetRoleCredentials live (default one hour, as IAM Identity Center's). */
  roleCredentialTtlMs?: number;
}

interface DeviceLogin {
  clientId: string;
  userCode: string;
  expiresAt: number;
  polls: number;
  outcome: 'pending' | 'approved' | 'denied';
}

interface Reply {
  status: number;
  body: unknown;
  errorType?: string;
}

const CREDENTIAL_TTL_MS = 3_600_000;

function secret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function oidcError(status: number, errorType: string, error: string, description: string): Reply {
  return { status, errorType, body: { error, error_description: description } };
}

function portalError(status: number, errorType: string, message: string): Reply {
  return { status, errorType, body: { message } };
}

/** The environment that points the SDK's SSO and SSO-OIDC clients at a local fake. */
export function ssoEndpointEnv(url: string): {
  AWS_ENDPOINT_URL_SSO: string;
  AWS_ENDPOINT_URL_SSO_OIDC: string;
} {
  return { AWS_ENDPOINT_URL_SSO: url, AWS_ENDPOINT_URL_SSO_OIDC: url };
}

export class LocalSso {
  readonly requests: LocalSsoRequest[] = [];
  private readonly clients = new Map<string, string>(); // clientId → clientSecret
  private readonly devices = new Map<string, DeviceLogin>(); // deviceCode → login
  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Map<string, string>(); // refreshToken → clientId
  private readonly revokedRoles = new Set<string>();
  private readonly issuedByRole = new Map<string, string[]>();
  private readonly options: Required<Omit<LocalSsoOptions, 'autoApproveAfterPolls' | 'roleCredentialTtlMs'>> &
    Pick<LocalSsoOptions, 'autoApproveAfterPolls' | 'roleCredentialTtlMs'>;
  private server: http.Server;
  private boundPort = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly sts: LocalSts,
    options: LocalSsoOptions,
  ) {
    this.options = {
      deviceCodeTtlSeconds: options.deviceCodeTtlSeconds ?? 600,
      pollIntervalSeconds: options.pollIntervalSeconds ?? 1,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      autoApproveAfterPolls: options.autoApproveAfterPolls,
      roleCredentialTtlMs: options.roleCredentialTtlMs,
    };
    this.server = http.createServer((req, res) => this.onRequest(req, res));
  }

  static async start(sts: LocalSts, options: LocalSsoOptions = {}): Promise<LocalSso> {
    const sso = new LocalSso(sts, options);
    sso.server.listen(0, '127.0.0.1');
    await once(sso.server, 'listening');
    sso.boundPort = (sso.server.address() as AddressInfo).port;
    return sso;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  private readonly secretsIssued: string[] = [];

  /** A new secret value (token, client secret, device code), remembered for `issuedSecrets`. */
  private secret(bytes?: number): string {
    const value = secret(bytes);
    this.secretsIssued.push(value);
    return value;
  }

  /** Every secret this fake ever handed out (access and refresh tokens, client secrets, device codes): what no output may show. */
  issuedSecrets(): readonly string[] {
    return [...this.secretsIssued];
  }

  /** A token pair as `aws sso login` would have received it, for tests that start logged in. */
  issueTokens(): { accessToken: string; refreshToken: string; clientId: string; clientSecret: string } {
    const clientId = secret(16);
    const clientSecret = this.secret();
    this.clients.set(clientId, clientSecret);
    const accessToken = this.secret(48);
    const refreshToken = this.secret(48);
    this.accessTokens.add(accessToken);
    this.refreshTokens.set(refreshToken, clientId);
    return { accessToken, refreshToken, clientId, clientSecret };
  }

  /** The person approved the pending device login with this user code (all pending ones when omitted). */
  approveDevice(userCode?: string): void {
    this.settleDevices('approved', userCode);
  }

  /** The person denied (cancelled) the pending device login. */
  denyDevice(userCode?: string): void {
    this.settleDevices('denied', userCode);
  }

  /** Every access token issued so far is rejected from now on (UnauthorizedException). */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** The SSO session ended: access tokens and refresh tokens stop working; only a new login helps. */
  endSession(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** The user lost this role: GetRoleCredentials answers ForbiddenException, its issued keys are revoked. */
  revokeRole(accountId: string, roleName: string): void {
    const role = `${accountId}/${roleName}`;
    this.revokedRoles.add(role);
    for (const accessKeyId of this.issuedByRole.get(role) ?? []) this.sts.revokeKey(accessKeyId);
  }

  count(action: LocalSsoAction, grantType?: string): number {
    return this.requests.filter((r) => r.action === action && (!grantType || r.grantType === grantType))
      .length;
  }

  /** Resolves with the first request (seen or future) matching `predicate`. */
  waitForRequest(predicate: (r: LocalSsoRequest) => boolean, timeoutMs = 10_000): Promise<LocalSsoRequest> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.requests.find(predicate);
        if (!found) return false;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(
          new Error(`LocalSso: no matching request within ${timeoutMs} ms (${this.requests.length} seen)`),
        );
      }, timeoutMs);
      if (!check()) this.listeners.add(check);
    });
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private settleDevices(outcome: 'approved' | 'denied', userCode?: string): void {
    for (const login of this.devices.values()) {
      if (login.outcome === 'pending' && (!userCode || login.userCode === userCode)) login.outcome = outcome;
    }
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: Record<string, unknown> = {};
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        if (text) body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const record: LocalSsoRequest = { action: 'unknown', status: 200, at: Date.now() };
      const reply = this.route(req, url, body, record);
      record.status = reply.status;
      if (reply.errorType) record.errorCode = reply.errorType;
      this.requests.push(record);
      for (const listener of [...this.listeners]) listener();
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        ...(reply.errorType && { 'x-amzn-errortype': reply.errorType }),
        'x-amzn-requestid': randomUUID(),
      });
      res.end(JSON.stringify(reply.body));
    });
  }

  private route(
    req: http.IncomingMessage,
    url: URL,
    body: Record<string, unknown>,
    record: LocalSsoRequest,
  ): Reply {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /federation/credentials':
        record.action = 'GetRoleCredentials';
        if (typeof req.headers['x-amz-sso_bearer_token'] === 'string') {
          record.bearer = req.headers['x-amz-sso_bearer_token'];
        }
        return this.getRoleCredentials(url.searchParams, req.headers['x-amz-sso_bearer_token']);
      case 'POST /client/register':
        record.action = 'RegisterClient';
        return this.registerClient(body);
      case 'POST /device_authorization':
        record.action = 'StartDeviceAuthorization';
        return this.startDeviceAuthorization(body);
      case 'POST /token':
        record.action = 'CreateToken';
        record.grantType = typeof body.grantType === 'string' ? body.grantType : undefined;
        return this.createToken(body);
      default:
        return portalError(404, 'ResourceNotFoundException', `No route for ${route}`);
    }
  }

  private getRoleCredentials(query: URLSearchParams, bearer: string | string[] | undefined): Reply {
    if (typeof bearer !== 'string' || !this.accessTokens.has(bearer)) {
      return portalError(401, 'UnauthorizedException', 'Session token not found or invalid');
    }
    const accountId = query.get('account_id') ?? '';
    const roleName = query.get('role_name') ?? '';
    const role = `${accountId}/${roleName}`;
    if (this.revokedRoles.has(role)) return portalError(403, 'ForbiddenException', 'No access');
    const key = this.sts.issueKey({
      account: accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${roleName}_0123456789abcdef/dev`,
      ttlMs: this.options.roleCredentialTtlMs ?? CREDENTIAL_TTL_MS,
    });
    this.issuedByRole.set(role, [...(this.issuedByRole.get(role) ?? []), key.accessKeyId]);
    return {
      status: 200,
      body: {
        roleCredentials: {
          accessKeyId: key.accessKeyId,
          secretAccessKey: key.secretAccessKey,
          sessionToken: key.sessionToken,
          expiration: key.expiration?.getTime(),
        },
      },
    };
  }

  private registerClient(body: Record<string, unknown>): Reply {
    if (typeof body.clientName !== 'string' || body.clientType !== 'public') {
      return oidcError(400, 'InvalidRequestException', 'invalid_request', 'clientName and clientType=public');
    }
    const clientId = secret(16);
    const clientSecret = this.secret();
    this.clients.set(clientId, clientSecret);
    const nowSeconds = Math.floor(Date.now() / 1000);
    return {
      status: 200,
      body: {
        clientId,
        clientSecret,
        clientIdIssuedAt: nowSeconds,
        clientSecretExpiresAt: nowSeconds + 7_776_000,
      },
    };
  }

  private knownClient(body: Record<string, unknown>): string | undefined {
    const { clientId, clientSecret } = body;
    if (typeof clientId !== 'string' || this.clients.get(clientId) !== clientSecret) return undefined;
    return clientId;
  }

  private startDeviceAuthorization(body: Record<string, unknown>): Reply {
    const clientId = this.knownClient(body);
    if (!clientId) return oidcError(401, 'InvalidClientException', 'invalid_client', 'Unknown client');
    if (typeof body.startUrl !== 'string') {
      return oidcError(400, 'InvalidRequestException', 'invalid_request', 'startUrl is required');
    }
    const deviceCode = this.secret();
    const userCode = `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`.toUpperCase();
    const { deviceCodeTtlSeconds, pollIntervalSeconds } = this.options;
    this.devices.set(deviceCode, {
      clientId,
      userCode,
      expiresAt: Date.now() + deviceCodeTtlSeconds * 1000,
      polls: 0,
      outcome: 'pending',
    });
    const verificationUri = `${this.url}/start/#/device`;
    return {
      status: 200,
      body: {
        deviceCode,
        userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?user_code=${userCode}`,
        expiresIn: deviceCodeTtlSeconds,
        interval: pollIntervalSeconds,
      },
    };
  }

  private tokens(clientId: string): Reply {
    const accessToken = this.secret(48);
    const refreshToken = this.secret(48);
    this.accessTokens.add(accessToken);
    this.refreshTokens.set(refreshToken, clientId);
    return {
      status: 200,
      body: { accessToken, tokenType: 'Bearer', expiresIn: this.options.accessTokenTtlSeconds, refreshToken },
    };
  }

  private createToken(body: Record<string, unknown>): Reply {
    const clientId = this.knownClient(body);
    if (!clientId) return oidcError(401, 'InvalidClientException', 'invalid_client', 'Unknown client');
    switch (body.grantType) {
      case 'urn:ietf:params:oauth:grant-type:device_code':
        return this.deviceCodeGrant(clientId, body.deviceCode);
      case 'refresh_token':
        return this.refreshTokenGrant(clientId, body.refreshToken);
      default:
        return oidcError(400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', 'Unsupported grant');
    }
  }

  private deviceCodeGrant(clientId: string, deviceCode: unknown): Reply {
    const login = typeof deviceCode === 'string' ? this.devices.get(deviceCode) : undefined;
    if (typeof deviceCode !== 'string' || !login || login.clientId !== clientId) {
      return oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid device code');
    }
    if (Date.now() >= login.expiresAt) {
      return oidcError(400, 'ExpiredTokenException', 'expired_token', 'Device code expired');
    }
    login.polls += 1;
    const { autoApproveAfterPolls } = this.options;
    if (
      login.outcome === 'pending' &&
      autoApproveAfterPolls !== undefined &&
      login.polls > autoApproveAfterPolls
    ) {
      login.outcome = 'approved';
    }
    switch (login.outcome) {
      case 'pending':
        return oidcError(400, 'AuthorizationPendingException', 'authorization_pending', 'Pending');
      case 'denied':
        return oidcError(400, 'AccessDeniedException', 'access_denied', 'The user denied the request');
      case 'approved':
        this.devices.delete(deviceCode);
        return this.tokens(clientId);
      default: {
        const unreachable: never = login.outcome;
        throw new Error(`unknown outcome ${String(unreachable)}`);
      }
    }
  }

  private refreshTokenGrant(clientId: string, refreshToken: unknown): Reply {
    if (typeof refreshToken !== 'string' || this.refreshTokens.get(refreshToken) !== clientId) {
      return oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid refresh token');
    }
    this.refreshTokens.delete(refreshToken);
    return this.tokens(clientId);
  }
}
