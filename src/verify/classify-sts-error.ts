/**
 * Turns an error thrown by the SDK's GetCallerIdentity call into a failure reason. Pure.
 *
 * Network trouble is checked first and is never reported as expiry: `cdk watch` users restart
 * everything when told their credentials expired, which is the wrong move when the VPN dropped.
 * `RequestExpired` and "Signature expired" are about the request's signing time (a wrong clock), not
 * the credentials.
 */
import type { VerificationFailureReason } from './verification-result.js';

export interface ClassifiedStsError {
  reason: VerificationFailureReason;
  message: string;
  fix: string;
  code?: string;
  httpStatus?: number;
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const INVALID = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'AuthFailure',
  'AccessDenied',
  'AccessDeniedException',
]);
const MISSING = new Set(['MissingAuthenticationToken', 'CredentialsProviderError']);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
]);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EPROTO',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
/** TLS failures (a corporate proxy re-signing traffic, a bad CA bundle): `CERT_HAS_EXPIRED` is not our expiry. */
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

const FRESH_CREDENTIALS =
  'Get fresh credentials (rewrite the credentials file, or `aws sso login` for a profile) and try again.';
const CHECK_NETWORK =
  'Check the network, VPN or proxy (and AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL if set), then try again; the credentials themselves may be fine.';

interface ErrorFacts {
  name: string;
  code?: string;
  message: string;
  httpStatus?: number;
}

function factsOf(error: unknown): ErrorFacts {
  if (typeof error !== 'object' || error === null) return { name: 'Error', message: String(error) };
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = e.$metadata?.httpStatusCode;
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    message: typeof e.message === 'string' ? e.message : '',
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
  };
}

/** `ExpiredToken, HTTP 400` */
function label(facts: ErrorFacts, code: string): string {
  return facts.httpStatus === undefined ? code : `${code}, HTTP ${facts.httpStatus}`;
}

function detail(facts: ErrorFacts): string {
  // The SDK's HTTP handler prefixes its own errors with its package name; the person needs the rest.
  const text = facts.message.replace(/^@smithy\/[\w-]+ - \[\w+\]\s*/, '').trim();
  // OpenSSL and socket messages can run long; the first line is the useful part.
  const first = (text.split('\n')[0] ?? '').replace(/\s*\.$/, '');
  if (!first) return '';
  return `: ${first.length > 160 ? `${first.slice(0, 157)}...` : first}`;
}

function networkFailure(facts: ErrorFacts, code: string): ClassifiedStsError {
  const base = { reason: 'network' as const, fix: CHECK_NETWORK, code };
  const status = facts.httpStatus === undefined ? {} : { httpStatus: facts.httpStatus };
  if (THROTTLED.has(facts.name) || facts.httpStatus === 429) {
    return {
      ...base,
      ...status,
      message: `STS is throttling requests (${label(facts, code)})${detail(facts)}.`,
    };
  }
  if (facts.httpStatus !== undefined && facts.httpStatus >= 500) {
    return { ...base, ...status, message: `STS failed on its side (${label(facts, code)})${detail(facts)}.` };
  }
  if (TIMEOUT_NAMES.has(facts.name) || facts.code === 'ETIMEDOUT') {
    return { ...base, message: `STS did not answer in time (${code})${detail(facts)}.` };
  }
  if (TLS_CODE.test(code) || /\b(SSL|TLS)\b|ssl3?_|wrong version number/i.test(facts.message)) {
    return {
      ...base,
      message: `The TLS connection to STS failed (${code}): a proxy, a CA bundle, or an http endpoint given as https?`,
    };
  }
  return { ...base, message: `STS could not be reached (${code})${detail(facts)}.` };
}

/**
 * A wrong clock here: `RequestExpired`, or a 403 `SignatureDoesNotMatch`/`InvalidSignatureException`
 * whose message says "Signature expired: … is now earlier than …" (the signature's time, not the
 * secret, is wrong). Never "bad secret", never a reason to stop the child.
 */
function isClockSkew(facts: ErrorFacts): boolean {
  if (facts.name === 'RequestExpired' || facts.name === 'RequestTimeTooSkewed') return true;
  const signature = facts.name === 'SignatureDoesNotMatch' || facts.name === 'InvalidSignatureException';
  return signature && /signature (has )?expired/i.test(facts.message);
}

function isNetwork(facts: ErrorFacts): boolean {
  if (THROTTLED.has(facts.name) || TIMEOUT_NAMES.has(facts.name)) return true;
  if (facts.httpStatus !== undefined) return facts.httpStatus >= 500 || facts.httpStatus === 429;
  return facts.code !== undefined && (NETWORK_CODES.has(facts.code) || TLS_CODE.test(facts.code));
}

export function classifyStsError(error: unknown): ClassifiedStsError {
  const facts = factsOf(error);
  const code = facts.code && facts.httpStatus === undefined ? facts.code : facts.name;
  const status = facts.httpStatus === undefined ? {} : { httpStatus: facts.httpStatus };

  if (isNetwork(facts)) return networkFailure(facts, code);
  if (isClockSkew(facts)) {
    return {
      reason: 'clock-skew',
      code,
      ...status,
      message: `STS rejected the request's timestamp (${label(facts, code)})${detail(facts)}: this machine's clock is wrong; the credentials may be fine.`,
      fix: 'Fix your clock: synchronise it (e.g. `sudo timedatectl set-ntp true`, or Date & Time settings), then try again.',
    };
  }
  if (EXPIRED.has(facts.name)) {
    return {
      reason: 'expired',
      code,
      ...status,
      message: `STS says these credentials have expired (${label(facts, code)}).`,
      fix: FRESH_CREDENTIALS,
    };
  }
  if (INVALID.has(facts.name)) {
    const why =
      facts.name === 'SignatureDoesNotMatch' || facts.name === 'InvalidSignatureException'
        ? 'the secret access key does not belong to this access key id'
        : 'the key was revoked, deleted or mistyped, or the session token does not belong to it';
    return {
      reason: 'invalid',
      code,
      ...status,
      message: `STS does not accept these credentials (${label(facts, code)}): ${why}.`,
      fix: FRESH_CREDENTIALS,
    };
  }
  if (MISSING.has(facts.name)) {
    return {
      reason: 'missing',
      code,
      ...status,
      message: `No credentials reached STS (${label(facts, code)}).`,
      fix: FRESH_CREDENTIALS,
    };
  }
  if (facts.name === 'RegionDisabledException') {
    return {
      reason: 'error',
      code,
      ...status,
      message: `STS is not activated in this region for the account (${label(facts, code)}).`,
      fix: 'Use another region (--region us-east-1), or activate STS for this region in IAM account settings.',
    };
  }
  if (facts.httpStatus !== undefined) {
    return {
      reason: 'error',
      code,
      ...status,
      message: `STS answered with an unexpected error (${label(facts, code)})${detail(facts)}.`,
      fix: 'Check that AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (if set) point at STS, and try again.',
    };
  }
  return {
    reason: 'error',
    code,
    message: `Verifying the credentials failed (${code})${detail(facts)}.`,
    fix: 'Try again; if it persists, run with --log-level debug and report the message.',
  };
}
