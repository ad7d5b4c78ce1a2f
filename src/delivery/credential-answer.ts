/**
 * What the credential endpoint answers to one HTTP request: a pure decision, so the security rules
 * (host, token, path, method) can be read in one place and tested without a socket.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AwsCredentials } from '../credentials/types.js';
import { advertisedExpiration } from './advertised-expiration.js';

/** What is currently on offer: credentials, or the reason there are none (never a secret). */
export type ServedCredentials =
  | { kind: 'credentials'; credentials: AwsCredentials }
  | { kind: 'unavailable'; reason: string };

export interface CredentialRequest {
  method: string | undefined;
  /** The request target as sent (`req.url`): path plus any query. */
  target: string | undefined;
  host: string | undefined;
  authorization: string | undefined;
}

export interface EndpointIdentity {
  port: number;
  /** `/` + the random path segment. */
  path: string;
  /** The endpoint's own token (its `endpoint.token` file). */
  token: string;
  /** Tokens handed to one child each, by client id, so their requests can be told apart. */
  clients?: ReadonlyMap<string, string>;
}

export interface CredentialAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The key id that was handed out (not a secret), when credentials were served. */
  accessKeyId?: string;
  /** The id of the client token the request presented (not for the endpoint's own token). */
  client?: string;
}

export const DEFAULT_UNAVAILABLE_REASON =
  'No verified credentials are available right now; cred-supervisor is waiting for fresh ones.';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

function errorAnswer(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): CredentialAnswer {
  // `Code`/`Message` is the shape the SDK (credential-provider-http) copies onto its error for 4xx.
  return {
    status,
    headers: { ...JSON_HEADERS, ...extra },
    body: JSON.stringify({ Code: code, Message: message }),
  };
}

const FORBIDDEN = () => errorAnswer(403, 'Forbidden', 'Forbidden');

/**
 * Compares digests rather than the raw strings so the comparison takes the same time whatever the
 * length and content of what was presented (`timingSafeEqual` needs equal-length buffers).
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * A page that some other site loads in the person's browser can make it send requests to
 * 127.0.0.1 under a hostname the attacker controls (DNS rebinding); those carry the attacker's
 * hostname in `Host`. The SDK always sends `127.0.0.1:PORT` (or `localhost:PORT`).
 */
export function hostIsLoopback(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const normalized = host.toLowerCase();
  return normalized === `127.0.0.1:${port}` || normalized === `localhost:${port}`;
}

/**
 * Who presented `authorization`: `{}` for the endpoint's own token, `{ client }` for a client's,
 * undefined for anything else. Every token is compared, so the time taken says nothing of which one.
 */
export function tokenHolder(
  authorization: string | undefined,
  identity: EndpointIdentity,
): { client?: string } | undefined {
  let holder: { client?: string } | undefined = tokenMatches(authorization, identity.token) ? {} : undefined;
  for (const [client, token] of identity.clients ?? []) {
    if (tokenMatches(authorization, token)) holder = { client };
  }
  return holder;
}

export function answerCredentialRequest(
  request: CredentialRequest,
  identity: EndpointIdentity,
  served: ServedCredentials,
  now: number,
  leaseMs: number,
): CredentialAnswer {
  // Order matters: nothing about the endpoint (not even whether a path exists) is revealed to a
  // caller that has not shown the loopback Host and the token.
  if (!hostIsLoopback(request.host, identity.port)) return FORBIDDEN();
  const holder = tokenHolder(request.authorization, identity);
  if (!holder) return FORBIDDEN();
  if (request.target !== identity.path) return errorAnswer(404, 'NotFound', 'Not found');
  if (request.method !== 'GET') {
    return errorAnswer(405, 'MethodNotAllowed', 'Only GET is supported', { allow: 'GET' });
  }
  if (served.kind === 'unavailable') return errorAnswer(503, 'CredentialsUnavailable', served.reason);

  const { credentials } = served;
  const realExpiration = credentials.expiration;
  if (realExpiration !== undefined && realExpiration.getTime() <= now) {
    return errorAnswer(
      503,
      'CredentialsExpired',
      `The credentials on offer expired at ${realExpiration.toISOString()}; cred-supervisor is waiting for fresh ones.`,
    );
  }
  const body = JSON.stringify({
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    // The SDK requires a string here; long-term keys have no session token, and the SDK's signer
    // adds no security-token header for an empty one.
    Token: credentials.sessionToken ?? '',
    Expiration: advertisedExpiration({ realExpiration, now, leaseMs }).toISOString(),
  });
  return {
    status: 200,
    headers: { ...JSON_HEADERS },
    body,
    accessKeyId: credentials.accessKeyId,
    ...holder,
  };
}
