/**
 * The JSON shapes AWS tools print:
 * - credential_process: `{"Version":1,"AccessKeyId","SecretAccessKey","SessionToken","Expiration"}`;
 * - `aws sts assume-role` / `get-session-token` / `get-federation-token`: `{"Credentials":{…}}`;
 * - `aws sso get-role-credentials`: `{"roleCredentials":{"accessKeyId",…,"expiration":<epoch ms>}}`.
 * Problems name the field (``field `Credentials.Expiration` ``), what it must be and the type that
 * came, never the value.
 */
import { z } from 'zod';
import { type SourcedValue, validateCredentialFields } from './credential-fields.js';
import { CredentialProblem } from './errors.js';
import { jsonErrorLocation, jsonLooksTruncated, jsonTypeName } from './json-text.js';
import type { CredentialsFileFormat, ParsedCredentialsFile } from './parsed-credentials.js';

const MISSING = 'is missing';

function expect(expected: string) {
  return (issue: { input: unknown }) =>
    issue.input === undefined ? MISSING : `must be ${expected}, got ${jsonTypeName(issue.input)}`;
}

const text = () => z.string({ error: expect('a string') });
const isoText = () => z.string({ error: expect('an ISO 8601 string') });
const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: expect('an object') });

const processShape = z.object({
  Version: z.literal(1, {
    error: (issue) =>
      issue.input === undefined
        ? MISSING
        : `must be 1, got ${typeof issue.input === 'number' ? issue.input : jsonTypeName(issue.input)}`,
  }),
  AccessKeyId: text(),
  SecretAccessKey: text(),
  SessionToken: text().optional(),
  Expiration: isoText().optional(),
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

interface FieldPaths {
  format: CredentialsFileFormat;
  prefix: string;
  tokenName: string;
}

function at(paths: FieldPaths, name: string, value: string): SourcedValue<string> {
  return { value, where: `field \`${paths.prefix}${name}\`` };
}

function parsedWith(
  paths: FieldPaths,
  fields: {
    id: [string, string];
    secret: [string, string];
    token?: [string, string];
    expiration?: [string, string | Date];
  },
  now: Date,
): ParsedCredentialsFile | CredentialProblem {
  const credentials = validateCredentialFields(
    {
      accessKeyId: at(paths, ...fields.id),
      secretAccessKey: at(paths, ...fields.secret),
      ...(fields.token && { sessionToken: at(paths, ...fields.token) }),
      ...(fields.expiration && {
        expiration: {
          value: fields.expiration[1],
          where: `field \`${paths.prefix}${fields.expiration[0]}\``,
        },
      }),
    },
    {
      now,
      sessionTokenName: `field \`${paths.prefix}${paths.tokenName}\``,
      missingTokenCode: 'MISSING_FIELD',
    },
  );
  if (credentials instanceof CredentialProblem) return credentials;
  return { format: paths.format, credentials, notes: [] };
}

function fromDocument(
  document: Record<string, unknown>,
  now: Date,
): ParsedCredentialsFile | CredentialProblem {
  if ('Credentials' in document) {
    const parsed = stsShape.safeParse(document);
    if (!parsed.success) return shapeProblem(parsed.error.issues);
    const c = parsed.data.Credentials;
    return parsedWith(
      { format: 'sts', prefix: 'Credentials.', tokenName: 'SessionToken' },
      {
        id: ['AccessKeyId', c.AccessKeyId],
        secret: ['SecretAccessKey', c.SecretAccessKey],
        ...(c.SessionToken !== '' && { token: ['SessionToken', c.SessionToken] as [string, string] }),
        expiration: ['Expiration', c.Expiration],
      },
      now,
    );
  }
  if ('roleCredentials' in document) {
    const parsed = ssoShape.safeParse(document);
    if (!parsed.success) return shapeProblem(parsed.error.issues);
    const c = parsed.data.roleCredentials;
    return parsedWith(
      { format: 'sso', prefix: 'roleCredentials.', tokenName: 'sessionToken' },
      {
        id: ['accessKeyId', c.accessKeyId],
        secret: ['secretAccessKey', c.secretAccessKey],
        ...(c.sessionToken !== '' && { token: ['sessionToken', c.sessionToken] as [string, string] }),
        expiration: ['expiration', new Date(c.expiration)],
      },
      now,
    );
  }
  if ('Version' in document || 'AccessKeyId' in document) {
    const parsed = processShape.safeParse(document);
    if (!parsed.success) return shapeProblem(parsed.error.issues);
    const c = parsed.data;
    return parsedWith(
      { format: 'credential-process', prefix: '', tokenName: 'SessionToken' },
      {
        id: ['AccessKeyId', c.AccessKeyId],
        secret: ['SecretAccessKey', c.SecretAccessKey],
        ...(c.SessionToken && { token: ['SessionToken', c.SessionToken] as [string, string] }),
        ...(c.Expiration && { expiration: ['Expiration', c.Expiration] as [string, string] }),
      },
      now,
    );
  }
  return new CredentialProblem('MALFORMED', `The JSON is not a credentials document: ${ACCEPTED_SHAPES}.`);
}

export function parseJsonCredentials(text: string, now: Date): ParsedCredentialsFile | CredentialProblem {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
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
  return fromDocument(document as Record<string, unknown>, now);
}
