import { describe, expect, it } from 'vitest';
import { CredentialProblem } from '../../src/credentials/errors.js';
import { parseCredentialsFile } from '../../src/credentials/parse-credentials-file.js';
import {
  credentialProcessJson,
  envText,
  type SampleKeys,
  sampleKeys,
  ssoJson,
  stsJson,
} from './support/sample-credentials.js';

const now = new Date('2030-06-01T12:00:00Z');
const inAnHour = new Date(now.getTime() + 3_600_000);
const anHourAgo = new Date(now.getTime() - 3_600_000);

function parse(text: string) {
  return parseCredentialsFile(text, { now });
}

/** The problem, checked to be one, with no secret from `keys` anywhere in its message. */
function problemOf(text: string, keys?: SampleKeys): CredentialProblem {
  const result = parse(text);
  expect(result).toBeInstanceOf(CredentialProblem);
  const problem = result as CredentialProblem;
  if (keys) {
    expect(problem.message).not.toContain(keys.secretAccessKey);
    if (keys.sessionToken) expect(problem.message).not.toContain(keys.sessionToken);
    expect(problem.message).not.toContain(keys.accessKeyId);
  }
  return problem;
}

describe('env lines', () => {
  it('reads what `aws configure export-credentials --format env` prints', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    expect(parse(envText(keys))).toEqual({
      format: 'env',
      credentials: {
        accessKeyId: keys.accessKeyId,
        secretAccessKey: keys.secretAccessKey,
        sessionToken: keys.sessionToken,
        expiration: inAnHour,
      },
      notes: [],
    });
  });

  it('takes lines without `export`, quoted values, comments, blank lines, CRLF and a BOM', () => {
    const keys = sampleKeys();
    const text = [
      '\uFEFF# written by hand',
      '',
      `AWS_ACCESS_KEY_ID='${keys.accessKeyId}'`,
      `  export AWS_SECRET_ACCESS_KEY="${keys.secretAccessKey}"   # the secret`,
      `AWS_SESSION_TOKEN=${keys.sessionToken}`,
      'AWS_CREDENTIAL_EXPIRATION="2030-06-01T13:00:00+00:00"',
      '',
    ].join('\r\n');
    expect(parse(text)).toMatchObject({
      credentials: { ...keys, expiration: new Date('2030-06-01T13:00:00Z') },
    });
  });

  it('reads escapes inside double quotes the way the shell does', () => {
    const keys = sampleKeys();
    const text = envText({ ...keys, secretAccessKey: 'PLACEHOLDER' }).replace(
      'AWS_SECRET_ACCESS_KEY=PLACEHOLDER',
      'AWS_SECRET_ACCESS_KEY="ab\\"c\\\\d\\e"',
    );
    expect(parse(text)).toMatchObject({ credentials: { secretAccessKey: 'ab"c\\d\\e' } });
  });

  it('takes long-term keys without a session token, and the region, AWS_REGION before AWS_DEFAULT_REGION', () => {
    const keys = sampleKeys({ prefix: 'AKIA' });
    expect(parse(envText(keys, 'AWS_DEFAULT_REGION=eu-west-1\nAWS_REGION=eu-central-2\n'))).toMatchObject({
      credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
      region: 'eu-central-2',
    });
    expect(parse(envText(keys, 'AWS_DEFAULT_REGION=us-gov-west-1\n'))).toMatchObject({
      region: 'us-gov-west-1',
    });
  });

  it('notes other variables by line and name without using them', () => {
    const keys = sampleKeys({ prefix: 'AKIA' });
    const parsed = parse(envText(keys, 'AWS_PROFILE=dev\nSOMETHING_ELSE=x\n'));
    expect(parsed).toMatchObject({
      notes: [
        'line 3: AWS_PROFILE is not used from this file.',
        'line 4: the variable is not used from this file.',
      ],
    });
  });

  it.each([
    ['AWS_CREDENTIAL_EXPIRATION=tomorrow', /^line 4: AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time/],
    [
      'AWS_CREDENTIAL_EXPIRATION=2030-06-01T13:00:00',
      /^line 4: AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time with a zone/,
    ],
    [
      'AWS_CREDENTIAL_EXPIRATION=2030-02-30T13:00:00Z',
      /^line 4: AWS_CREDENTIAL_EXPIRATION is not an ISO 8601/,
    ],
    ['AWS_REGION=Frankfurt', /^line 4: AWS_REGION is not a region name/],
    ['just some words', /^line 4 is not a NAME=VALUE assignment\.$/],
    ['AWS_REGION = eu-west-1', /^line 4: AWS_REGION has spaces around `=`/],
    ['AWS_REGION= eu-west-1', /^line 4: AWS_REGION has spaces around `=`/],
    ['AWS_REGION=$REGION', /^line 4: AWS_REGION uses shell expansion/],
    ['AWS_REGION="$(cat region)"', /^line 4: AWS_REGION uses shell expansion/],
    ['AWS_REGION=eu-west-1; rm -rf /', /^line 4: AWS_REGION has shell syntax/],
    ['AWS_REGION=eu west', /^line 4: AWS_REGION has more after its value/],
    ["AWS_REGION='eu-west-1", /^line 4: AWS_REGION has an unterminated quote\.$/],
    ['set AWS_REGION=eu-west-1', /^line 4 uses Windows `set` syntax/],
    ['$Env:AWS_REGION="eu-west-1"', /^line 4 uses PowerShell syntax/],
  ])('rejects `%s` naming the line (MALFORMED)', (line, expected) => {
    const keys = sampleKeys();
    const problem = problemOf(envText(keys, `${line}\n# after\n`), keys);
    expect(problem.code).toBe('MALFORMED');
    expect(problem.message).toMatch(expected);
  });

  it('rejects a malformed access key id, naming the line but not the value', () => {
    const keys = sampleKeys();
    const text = envText({ ...keys, accessKeyId: keys.secretAccessKey });
    const problem = problemOf(text, keys);
    expect(problem.code).toBe('MALFORMED');
    expect(problem.message).toBe(
      'line 1: AWS_ACCESS_KEY_ID is not an access key id: expected AKIA or ASIA followed by 16 capital letters or digits, got 40 characters.',
    );
  });

  it('rejects a variable set twice (an append instead of an overwrite)', () => {
    const keys = sampleKeys();
    const problem = problemOf(envText(keys) + envText(sampleKeys()), keys);
    expect(problem).toMatchObject({ code: 'MALFORMED' });
    expect(problem.message).toMatch(
      /^line 4: AWS_ACCESS_KEY_ID is set a second time \(first on line 1\); .*`>`/,
    );
  });

  it('rejects a session token next to a long-term key: two credential sets mixed', () => {
    const longTerm = sampleKeys({ prefix: 'AKIA' });
    const token = sampleKeys().sessionToken;
    const problem = problemOf(envText({ ...longTerm, sessionToken: token }), longTerm);
    expect(problem.code).toBe('MALFORMED');
    expect(problem.message).toContain(
      `the access key ${longTerm.accessKeyId.slice(0, 4)}…${longTerm.accessKeyId.slice(-4)} is long-term`,
    );
    expect(problem.message).not.toContain(token);
  });

  it('says EXPIRED for an expiration in the past, with the time', () => {
    const keys = sampleKeys({ expiration: anHourAgo });
    const problem = problemOf(envText(keys), keys);
    expect(problem.code).toBe('EXPIRED');
    expect(problem.message).toBe(`The credentials expired at ${anHourAgo.toISOString()} (1h ago).`);
  });
});

describe('half-written, empty and binary content', () => {
  it.each([
    ['empty', ''],
    ['whitespace only', ' \n\t\n'],
    ['comments only', '# nothing yet\n'],
  ])('%s is NOT_READY', (_, text) => {
    expect(problemOf(text).code).toBe('NOT_READY');
  });

  it('an env file without the secret or token line yet is NOT_READY, saying which line is missing', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    const full = envText(keys);
    const lines = full.split('\n');
    const withoutSecret = problemOf(`${lines[0]}\n`, keys);
    expect(withoutSecret).toMatchObject({ code: 'NOT_READY' });
    expect(withoutSecret.message).toMatch(
      /^AWS_SECRET_ACCESS_KEY is missing; the file seems to be still being written/,
    );
    const withoutToken = problemOf(`${lines.slice(0, 2).join('\n')}\n`, keys);
    expect(withoutToken).toMatchObject({ code: 'NOT_READY' });
    expect(withoutToken.message).toMatch(
      /^AWS_SESSION_TOKEN is missing: the access key ASIA…\w{4} is temporary/,
    );
  });

  it('a file cut anywhere is NOT_READY or, once complete enough, parses: never another problem', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    for (const text of [envText(keys), stsJson(keys), credentialProcessJson(keys), ssoJson(keys)]) {
      for (let cut = 0; cut < text.length; cut++) {
        const result = parse(text.slice(0, cut));
        if (result instanceof CredentialProblem) {
          expect([cut, result.code]).toEqual([cut, 'NOT_READY']);
          expect(result.message).not.toContain(keys.secretAccessKey.slice(0, 12));
        }
      }
      expect(parse(text)).not.toBeInstanceOf(CredentialProblem);
    }
  });

  it('a cut in the middle of an unquoted last value parses as is when it still looks valid', () => {
    // Documents the limit: a bare token cut short cannot be told from a complete one; STS will say.
    const keys = sampleKeys();
    const text = envText(keys).trimEnd().slice(0, -10);
    expect(parse(text)).toMatchObject({ credentials: { sessionToken: keys.sessionToken?.slice(0, -10) } });
  });

  it('binary content is MALFORMED', () => {
    expect(problemOf('AWS_ACCESS_KEY_ID=\0\u0001\u0002').code).toBe('MALFORMED');
  });
});

describe('JSON', () => {
  it('reads credential_process output', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    expect(parse(credentialProcessJson(keys))).toEqual({
      format: 'credential-process',
      credentials: { ...keys },
      notes: [],
    });
    const longTerm = sampleKeys({ prefix: 'AKIA' });
    expect(parse(credentialProcessJson(longTerm))).toMatchObject({ credentials: longTerm });
  });

  it('reads `aws sts assume-role` / `get-session-token` output', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    expect(parse(stsJson(keys))).toEqual({ format: 'sts', credentials: keys, notes: [] });
  });

  it('reads `aws sso get-role-credentials` output (expiration in epoch milliseconds)', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    expect(parse(ssoJson(keys))).toEqual({ format: 'sso', credentials: keys, notes: [] });
  });

  it('names the field, the expected type and the type that came', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    const document = JSON.parse(stsJson(keys));
    document.Credentials.Expiration = 1_900_000_000;
    const problem = problemOf(JSON.stringify(document), keys);
    expect(problem).toMatchObject({
      code: 'MALFORMED',
      message:
        'field `Credentials.Expiration` must be an ISO 8601 string like 2030-01-31T12:00:00Z, got a number (an epoch time?).',
    });
  });

  it('names missing fields (MISSING_FIELD) and a wrong Version', () => {
    const keys = sampleKeys();
    const missing = problemOf(JSON.stringify({ Credentials: { AccessKeyId: keys.accessKeyId } }), keys);
    expect(missing).toMatchObject({
      code: 'MISSING_FIELD',
      message:
        'field `Credentials.SecretAccessKey` is missing; field `Credentials.SessionToken` is missing; field `Credentials.Expiration` is missing.',
    });
    const version = problemOf(credentialProcessJson(keys).replace('"Version":1', '"Version":2'), keys);
    expect(version).toMatchObject({ code: 'MALFORMED', message: 'field `Version` must be 1, got 2.' });
  });

  it('a temporary key without its session token is a clear MISSING_FIELD', () => {
    const keys = sampleKeys();
    const { sessionToken: _, ...withoutToken } = keys;
    const problem = problemOf(credentialProcessJson(withoutToken), keys);
    expect(problem.code).toBe('MISSING_FIELD');
    expect(problem.message).toMatch(
      /^field `SessionToken` is missing: the access key ASIA…\w{4} is temporary/,
    );
  });

  it('a non-ISO expiration names the field', () => {
    const keys = sampleKeys();
    const text = credentialProcessJson({ ...keys, expiration: inAnHour }).replace(
      inAnHour.toISOString(),
      'next tuesday',
    );
    expect(problemOf(text, keys).message).toMatch(/^field `Expiration` is not an ISO 8601 time with a zone/);
  });

  it('an expired STS document is EXPIRED', () => {
    const keys = sampleKeys({ expiration: anHourAgo });
    expect(problemOf(stsJson(keys), keys).code).toBe('EXPIRED');
    expect(problemOf(ssoJson(keys), keys).code).toBe('EXPIRED');
  });

  it('invalid JSON is MALFORMED with a position, never the text around it', () => {
    const keys = sampleKeys();
    const text = `{"AccessKeyId": "${keys.accessKeyId}" "SecretAccessKey": "${keys.secretAccessKey}"}`;
    const problem = problemOf(text, keys);
    expect(problem.code).toBe('MALFORMED');
    expect(problem.message).toMatch(/^The JSON is not valid at line 1, column \d+\.$/);
  });

  it('JSON of another shape is MALFORMED listing the accepted ones', () => {
    expect(problemOf('{"hello": "world"}').message).toMatch(
      /^The JSON is not a credentials document: expected/,
    );
    expect(problemOf('["a"]').message).toMatch(/^The JSON is array, not an object/);
  });
});
