/**
 * Removes AWS secrets from anything that leaves the process: log lines, terminal messages, error
 * texts, control-socket replies.
 *
 * Three layers, because no single one is enough:
 * 1. Known values: every secret the program loads (secret access key, session token, the endpoint
 *    token) is registered where it is created (`resolveCredentials`, the endpoint); registered values
 *    are removed wherever they appear, even glued to other text. This layer makes redaction certain.
 * 2. Known keys: any property whose name is a credential field (`secretAccessKey`, `Token`,
 *    `AWS_SESSION_TOKEN=`...) has its value replaced, at any depth.
 * 3. Shapes: strings that look like a secret access key (40 base64 characters), a session token (a
 *    long base64 run) or a long hex token are masked; access key ids are shortened to `ASIA…WXYZ`.
 *    This catches secrets that were never registered (e.g. quoted back in an SDK error message).
 */

import { maskAccessKeyId } from '../credentials/access-key-id.js';

export const REDACTED = '[REDACTED]';

/** Property names whose values are secrets, compared without case, `_` or `-`. */
const SECRET_KEY_NAMES = [
  'secretAccessKey',
  'awsSecretAccessKey',
  'secretKey',
  'sessionToken',
  'awsSessionToken',
  'awsSecurityToken',
  'securityToken',
  'xAmzSecurityToken',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'clientSecret',
  'authorization',
  'awsContainerAuthorizationToken',
  'password',
  'secret',
];

const NORMALIZED_SECRET_KEYS = new Set(SECRET_KEY_NAMES.map(normalizeKeyName));

/** Property names whose values are access key ids: shortened rather than removed. */
const ACCESS_KEY_ID_KEYS = new Set(['accesskeyid', 'awsaccesskeyid']);

function normalizeKeyName(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/** True when a property of this name holds a secret (`SecretAccessKey`, `aws_session_token`...). */
export function isSecretKeyName(name: string): boolean {
  return NORMALIZED_SECRET_KEYS.has(normalizeKeyName(name));
}

/** Paths for pino's `redact` option: the known keys at the depths our own log calls use. */
export const PINO_REDACT_PATHS: readonly string[] = [
  'secretAccessKey',
  'SecretAccessKey',
  'sessionToken',
  'SessionToken',
  'token',
  'Token',
  'authorization',
  'Authorization',
  'headers.authorization',
  'req.headers.authorization',
].flatMap((key) => (key.includes('.') ? [key] : [key, `*.${key}`, `*.*.${key}`]));

// One masking of key ids for the whole program (the checklist, sources and logs show the same form).
export { maskAccessKeyId };

// `key=value`, `key: value`, `"key": "value"` in free text (env lines, headers, SDK messages).
// Only full credential names, so ordinary words such as `ExpiredToken:` are left alone.
const KEY_VALUE =
  /(aws_secret_access_key|aws_session_token|aws_security_token|aws_container_authorization_token|secret_?access_?key|session_?token|x-amz-security-token)(["']?\s*[=:]\s*\\?["']?)([^\s"'\\,;&}]+)/gi;
const AUTHORIZATION_HEADER = /(authorization["']?\s*[=:]\s*\\?["']?)(?:(bearer|basic)\s+)?([^\s"'\\,;}]+)/gi;

const ACCESS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
// Session tokens and other long standard-base64 runs. A run this long without any digit is more
// likely a path, so short-ish runs need a digit; very long ones are masked regardless.
const LONG_BASE64 = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{64,}={0,2}/g;
const SECRET_ACCESS_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g;
const LONG_HEX = /(?<![A-Za-z0-9])[0-9a-fA-F]{32,}(?![A-Za-z0-9])/g;

/** Known secret values shorter than this are not registered: they would mask ordinary words. */
const MIN_REGISTERED_LENGTH = 8;
/** Old credentials are expired and harmless; keep a bounded number so memory stays flat for weeks. */
const MAX_REGISTERED = 256;

export class Redactor {
  readonly #secrets: string[] = [];
  #pattern: RegExp | null = null;

  /** Remember a secret value so it is removed wherever it appears later. */
  registerSecret(value: string | undefined | null): void {
    if (!value || value.length < MIN_REGISTERED_LENGTH || this.#secrets.includes(value)) return;
    this.#secrets.push(value);
    if (this.#secrets.length > MAX_REGISTERED) this.#secrets.shift();
    // Longest first, so a secret that contains another is removed whole.
    const alternatives = [...this.#secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.#pattern = new RegExp(alternatives.join('|'), 'g');
  }

  /** The text with every known and every secret-shaped value masked. */
  scrubText(text: string): string {
    let out = this.#pattern ? text.replace(this.#pattern, REDACTED) : text;
    out = out.replace(KEY_VALUE, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
    out = out.replace(AUTHORIZATION_HEADER, (_m, key: string) => `${key}${REDACTED}`);
    out = out.replace(ACCESS_KEY_ID, (id) => maskAccessKeyId(id));
    out = out.replace(LONG_BASE64, (run) => (run.length >= 100 || /[0-9+]/.test(run) ? REDACTED : run));
    out = out.replace(SECRET_ACCESS_KEY, REDACTED);
    out = out.replace(LONG_HEX, (run) => (/[0-9]/.test(run) && /[a-fA-F]/.test(run) ? REDACTED : run));
    return out;
  }

  /**
   * A deep copy of `value` with secret-named properties censored and every string scrubbed.
   * Errors become plain objects (name, message, stack, code) so their texts are scrubbed too.
   */
  scrubValue(value: unknown): unknown {
    return this.#scrub(value, new WeakSet());
  }

  #scrub(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.scrubText(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.#scrub(item, seen));
    const source = value instanceof Error ? errorFields(value) : (value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(source)) {
      out[key] = this.#scrubProperty(key, item, seen);
    }
    return out;
  }

  #scrubProperty(key: string, item: unknown, seen: WeakSet<object>): unknown {
    if (isSecretKeyName(key)) return item === null || item === undefined ? item : REDACTED;
    if (ACCESS_KEY_ID_KEYS.has(normalizeKeyName(key)) && typeof item === 'string') {
      return maskAccessKeyId(item);
    }
    return this.#scrub(item, seen);
  }

  /**
   * Scrubs one serialized JSON log line. The line is decoded first, so escapes such as `\n` cannot
   * hide a secret's boundaries from the shape rules; text that is not JSON is scrubbed as text.
   */
  scrubJsonLine(line: string): string {
    const trailingNewline = line.endsWith('\n');
    const body = trailingNewline ? line.slice(0, -1) : line;
    let out: string;
    try {
      out = JSON.stringify(this.scrubValue(JSON.parse(body)));
    } catch {
      out = this.scrubText(body);
    }
    return trailingNewline ? `${out}\n` : out;
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack) fields.stack = error.stack;
  for (const [key, item] of Object.entries(error)) fields[key] = item;
  if (error.cause !== undefined) fields.cause = error.cause;
  return fields;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The process-wide redactor: credential code registers secrets here, every output uses it. */
export const redactor = new Redactor();

export function registerSecret(value: string | undefined | null): void {
  redactor.registerSecret(value);
}

export function scrubSecrets(text: string): string {
  return redactor.scrubText(text);
}

/**
 * Registers the secret parts of credentials where they come into the program (the sources'
 * resolution, the endpoint's token), so no command depends on a caller remembering to.
 */
export function registerCredentialSecrets(credentials: {
  secretAccessKey: string;
  sessionToken?: string | undefined;
}): void {
  redactor.registerSecret(credentials.secretAccessKey);
  redactor.registerSecret(credentials.sessionToken);
}
