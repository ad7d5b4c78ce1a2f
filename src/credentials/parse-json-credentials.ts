/**
 * The JSON shapes AWS tools print:
 * - credential_process: `{"Version":1,"AccessKeyId","SecretAccessKey","SessionToken","Expiration"}`;
 * - `aws sts assume-role` / `get-session-token` / `get-federation-token`: `{"Credentials":{…}}`;
 * - `aws sso get-role-credentials`: `{"roleCredentials":{"accessKeyId",…,"expiration":<epoch ms>}}`.
 * Problems name the field (``field `Credentials.Expiration` ``), what it must be and the type that
 * came, never the value.
 */
// zod's functional build: only the validators used here are bundled (see src/config/option-rules.ts).
import * as z from 'zod/mini';
import { validateCredentialFields } from './credential-fields.js';
import { CredentialProblem } from './errors.js';
import {
  jsonErrorLocation,
  jsonLooksTruncated,
  jsonTrailingTextOffset,
  jsonTypeName,
  textLocation,
} from './json-text.js';
import type { CredentialsFileFormat, ParsedCredentialsFile } from './parsed-credentials.js';

const MISSING = 'is missing';

function expect(expected: string) {
  return (issue: { input: unknown }) =>
    issue.input === undefined ? MISSING : `must be ${expected}, got ${jsonTypeName(issue.input)}`;
}

const text = () => z.string({ error: expect('a string') });
const isoText = () =>
  z.string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? 'must be an ISO 8601 string like 2030-01-31T12:00:00Z, got a number (an epoch time?)'
        : expect('an ISO 8601 string')(issue),
  });
const object = <T extends z.core.$ZodShape>(shape: T) => z.object(shape, { error: expect('an object') });

const processShape = z.object({
  Version: z.literal(1, {
    error: (issue) =>
      issue.input === undefined
        ? MISSING
        : `must be 1, got ${typeof issue.input === 'number' ? issue.input : jsonTypeName(issue.input)}`,
  }),
  AccessKeyId: text(),
  SecretAccessKey: text(),
  SessionToken: z.optional(text()),
  Expiration: z.optional(isoText()),
});

const stsShape = z.object({
  Credentials: object({
    AccessKeyId: text(),
    SecretAccessKey: text(),
    SessionToken: text(),
    Expiration: isoText(),
  }),
});

const ssoShape = z.object({
  roleCredentials: object({
    accessKeyId: text(),
    secretAccessKey: text(),
    sessionToken: text(),
    expiration: z.number({ error: expect('a number (milliseconds since 1970)') }),
  }),
});

const ACCEPTED_SHAPES =
  'expected {"Version":1,"AccessKeyId":…} (credential_process), {"Credentials":{…}} (aws sts assume-role / get-session-token) or {"roleCredentials":{…}} (aws sso get-role-credentials)';

function shapeProblem(issues: z.core.$ZodIssue[]): CredentialProblem {
  const described = issues
    .slice(0, 3)
    .map((issue) => `field \`${issue.path.map(String).join('.')}\` ${issue.message}`);
  const allMissing = issues.every((issue) => issue.message === MISSING);
  return new CredentialProblem(allMissing ? 'MISSING_FIELD' : 'MALFORMED', `${described.join('; ')}.`);
}

/** One of the shapes, reduced to the four parts and the JSON names they came under. */
interface FoundCredentials {
  format: CredentialsFileFormat;
  /** `Credentials.`, `roleCredentials.` or nothing. */
  prefix: string;
  names: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: string | Date | undefined;
  notes?: string[];
}

// Before 1973 in milliseconds, so never a real expiry: a count of seconds, as some tools write it.
const LARGEST_EPOCH_SECONDS = 1e11;

function epochExpiration(value: number, field: string): { expiration: Date; notes: string[] } {
  if (value >= LARGEST_EPOCH_SECONDS) return { expiration: new Date(value), notes: [] };
  return {
    expiration: new Date(value * 1000),
    notes: [`field \`${field}\` is in seconds since 1970, not milliseconds; read it as seconds.`],
  };
}

function find(document: Record<string, unknown>): FoundCredentials | CredentialProblem {
  if ('Credentials' in document) {
    const parsed = stsShape.safeParse(document);
    if (!parsed.success) return shapeProblem(parsed.error.issues);
    const c = parsed.data.Credentials;
    return {
      format: 'sts',
      prefix: 'Credentials.',
      names: {
        accessKeyId: 'AccessKeyId',
        secretAccessKey: 'SecretAccessKey',
        sessionToken: 'SessionToken',
        expiration: 'Expiration',
      },
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }
  if ('roleCredentials' in document) {
    const parsed = ssoShape.safeParse(document);
    if (!parsed.success) return shapeProblem(parsed.error.issues);
    const c = parsed.data.roleCredentials;
    return {
      format: 'sso',
      prefix: 'roleCredentials.',
      names: {
        accessKeyId: 'accessKeyId',
        secretAccessKey: 'secretAccessKey',
        sessionToken: 'sessionToken',
        expiration: 'expiration',
      },
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      ...epochExpiration(c.expiration, 'roleCredentials.expiration'),
    };
  }
  if ('Version' in document || 'AccessKeyId' in document) {
    const parsed = processShape.safeParse(document);
    if (!parsed.success) return shapeProblem(parsed.error.issues);
    const c = parsed.data;
    return {
      format: 'credential-process',
      prefix: '',
      names: {
        accessKeyId: 'AccessKeyId',
        secretAccessKey: 'SecretAccessKey',
        sessionToken: 'SessionToken',
        expiration: 'Expiration',
      },
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }
  return new CredentialProblem('MALFORMED', `The JSON is not a credentials document: ${ACCEPTED_SHAPES}.`);
}

function validated(found: FoundCredentials, now: Date): ParsedCredentialsFile | CredentialProblem {
  const where = (name: keyof FoundCredentials['names']) => `field \`${found.prefix}${found.names[name]}\``;
  const sourced = <T>(name: keyof FoundCredentials['names'], value: T) => ({ value, where: where(name) });
  const { sessionToken, expiration } = found;
  const credentials = validateCredentialFields(
    {
      accessKeyId: sourced('accessKeyId', found.accessKeyId),
      secretAccessKey: sourced('secretAccessKey', found.secretAccessKey),
      // An empty token is no token (credential_process may print "" for long-term keys).
      ...(sessionToken && { sessionToken: sourced('sessionToken', sessionToken) }),
      // "" is not "no expiry": only a field left out means that (credential_process, long-term keys).
      ...(expiration !== undefined && { expiration: sourced('expiration', expiration) }),
    },
    { now, sessionTokenName: where('sessionToken'), missingTokenCode: 'MISSING_FIELD' },
  );
  if (credentials instanceof CredentialProblem) return credentials;
  return { format: found.format, credentials, notes: found.notes ?? [] };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function parseJsonCredentials(text: string, now: Date): ParsedCredentialsFile | CredentialProblem {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const trailing = jsonTrailingTextOffset(text);
    if (trailing !== undefined && isJson(text.slice(0, trailing))) {
      return new CredentialProblem(
        'MALFORMED',
        `The file holds one JSON document and then more text from ${textLocation(text, trailing)}; it must hold exactly one.`,
        'Write the file again with `>` (not `>>`, which appends to what is there).',
      );
    }
    if (jsonLooksTruncated(text)) {
      return new CredentialProblem(
        'NOT_READY',
        'The JSON is not complete yet; the file seems to be still being written.',
      );
    }
    const where = jsonErrorLocation(error, text);
    return new CredentialProblem('MALFORMED', `The JSON is not valid${where ? ` at ${where}` : ''}.`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return new CredentialProblem(
      'MALFORMED',
      `The JSON is ${jsonTypeName(document)}, not an object: ${ACCEPTED_SHAPES}.`,
    );
  }
  const found = find(document as Record<string, unknown>);
  return found instanceof CredentialProblem ? found : validated(found, now);
}
