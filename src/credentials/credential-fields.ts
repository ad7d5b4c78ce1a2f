/**
 * The checks every source shares once it has found the parts of a credential set: the access key id's
 * shape, a session token for temporary keys, a readable expiration that is still ahead. Messages say
 * where a part came from (`line 3: AWS_SESSION_TOKEN`, ``field `SessionToken` ``), never what it holds.
 */
import { formatDuration } from '../config/duration.js';
import { describeBadAccessKeyId, isTemporaryAccessKeyId, maskAccessKeyId } from './access-key-id.js';
import { CredentialProblem, type CredentialProblemCode } from './errors.js';
import { parseIsoTime } from './iso-time.js';
import type { AwsCredentials } from './types.js';

export interface SourcedValue<T> {
  value: T;
  /** Where it came from, safe to print: `line 3: AWS_SESSION_TOKEN`, ``field `SessionToken` ``. */
  where: string;
  /** The value may be cut short (the unterminated last line of a file being written). */
  mayBeIncomplete?: boolean;
}

export interface CredentialFields {
  accessKeyId: SourcedValue<string>;
  secretAccessKey: SourcedValue<string>;
  sessionToken?: SourcedValue<string>;
  /** An ISO 8601 string, or a Date when the format carries a number. */
  expiration?: SourcedValue<string | Date>;
}

export interface FieldRules {
  now: Date;
  /** How to name a session token that is missing (`AWS_SESSION_TOKEN`, ``field `SessionToken` ``). */
  sessionTokenName: string;
  /** A missing token means "still being written" for an env file, a real omission for complete JSON. */
  missingTokenCode: Extract<CredentialProblemCode, 'NOT_READY' | 'MISSING_FIELD'>;
}

// Secrets and tokens are base64-like: any space or control character means a broken paste or a cut.
const PRINTABLE = /^[\x21-\x7e]+$/;

function problem(field: SourcedValue<unknown>, code: CredentialProblemCode, text: string): CredentialProblem {
  if (field.mayBeIncomplete && code === 'MALFORMED') {
    return new CredentialProblem(
      'NOT_READY',
      `${field.where} looks cut off (${text}); the file seems to be still being written.`,
    );
  }
  return new CredentialProblem(code, `${field.where} ${text}.`);
}

function checkExpiration(
  field: SourcedValue<string | Date>,
  now: Date,
): { expiration: Date } | CredentialProblem {
  if (field.value === '') {
    return problem(
      field,
      'MALFORMED',
      'is empty; give the time the credentials expire (e.g. 2030-01-31T12:00:00Z), or leave the field out for keys that never expire',
    );
  }
  const expiration = typeof field.value === 'string' ? parseIsoTime(field.value) : field.value;
  if (expiration === undefined || Number.isNaN(expiration.getTime())) {
    return problem(
      field,
      'MALFORMED',
      'is not an ISO 8601 time with a zone (expected e.g. 2025-01-31T12:00:00Z)',
    );
  }
  const leftMs = expiration.getTime() - now.getTime();
  if (leftMs <= 0) {
    return new CredentialProblem(
      'EXPIRED',
      `The credentials expired at ${expiration.toISOString()} (${formatDuration(-leftMs)} ago).`,
    );
  }
  return { expiration };
}

export function validateCredentialFields(
  fields: CredentialFields,
  rules: FieldRules,
): AwsCredentials | CredentialProblem {
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = fields;
  const badId = describeBadAccessKeyId(accessKeyId.value);
  if (badId) return problem(accessKeyId, 'MALFORMED', `is not an access key id: ${badId}`);
  if (secretAccessKey.value === '') return problem(secretAccessKey, 'MISSING_FIELD', 'is empty');
  if (!PRINTABLE.test(secretAccessKey.value)) {
    return problem(secretAccessKey, 'MALFORMED', 'contains spaces or control characters');
  }
  if (sessionToken && !PRINTABLE.test(sessionToken.value)) {
    return problem(sessionToken, 'MALFORMED', 'contains spaces or control characters');
  }
  const masked = maskAccessKeyId(accessKeyId.value);
  const temporary = isTemporaryAccessKeyId(accessKeyId.value);
  if (temporary && !sessionToken) {
    return new CredentialProblem(
      rules.missingTokenCode,
      `${rules.sessionTokenName} is missing: the access key ${masked} is temporary and works only with its session token.` +
        (rules.missingTokenCode === 'NOT_READY'
          ? ' The file may still be being written; if not, add that line.'
          : ''),
    );
  }
  if (!temporary && sessionToken) {
    return new CredentialProblem(
      'MALFORMED',
      `${sessionToken.where} is set, but the access key ${masked} is long-term (AKIA…) and takes no session token: the lines of two different credential sets may be mixed.`,
    );
  }
  const credentials: AwsCredentials = {
    accessKeyId: accessKeyId.value,
    secretAccessKey: secretAccessKey.value,
  };
  if (sessionToken) credentials.sessionToken = sessionToken.value;
  if (expiration) {
    const checked = checkExpiration(expiration, rules.now);
    if (checked instanceof CredentialProblem) return checked;
    credentials.expiration = checked.expiration;
  }
  return credentials;
}
