/**
 * The diagnostics a newcomer meets when the credentials file is almost right: each names the real
 * problem (exact message), never "still being written" for a file that is finished but wrong.
 */
import { chown, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialProblem } from '../../src/credentials/errors.js';
import { readCredentialsFile } from '../../src/credentials/file-source.js';
import { parseCredentialsFile } from '../../src/credentials/parse-credentials-file.js';
import { credentialProcessJson, envText, sampleKeys, ssoJson } from './support/sample-credentials.js';
import { tempDir } from './support/temp-dir.js';

const now = new Date('2030-06-01T12:00:00Z');
const inAnHour = new Date(now.getTime() + 3_600_000);

function problemOf(text: string, filePath?: string): CredentialProblem {
  const result = parseCredentialsFile(text, { now, ...(filePath && { filePath }) });
  expect(result).toBeInstanceOf(CredentialProblem);
  const problem = result as CredentialProblem;
  for (const secret of text.match(/[A-Za-z0-9+/=]{30,}/g) ?? [])
    expect(problem.message).not.toContain(secret);
  return problem;
}

describe('INI content (the shape of ~/.aws/credentials)', () => {
  it('says it is INI and points to --profile or the env format, not "The JSON is not valid"', () => {
    const keys = sampleKeys({ prefix: 'AKIA' });
    const text = `[default]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;
    const problem = problemOf(text, '/p/.cred-supervisor/credentials');
    expect(problem.code).toBe('MALFORMED');
    expect(problem.message).toBe(
      'The file is in the INI format of ~/.aws/credentials (it starts with a [default] section); this file takes env lines or JSON. ' +
        'Use the profile instead (--profile default, with the section in ~/.aws/credentials), or write env lines here: ' +
        '(umask 077; aws configure export-credentials --profile default --format env > /p/.cred-supervisor/credentials).',
    );
  });

  it('names the profile of a `[profile dev]` section after comments', () => {
    const problem = problemOf('# copied from ~/.aws/config\n[profile dev]\nregion = eu-west-1\n');
    expect(problem.fix).toContain('--profile dev,');
    expect(problem.problem).toContain('[profile dev] section');
  });

  it('JSON arrays are still JSON, not INI', () => {
    expect(problemOf('[{"AccessKeyId": 1}]').message).toMatch(/^The JSON is array, not an object/);
  });
});

describe('variable names', () => {
  it('a misspelled name gets a did-you-mean, not "still being written"', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    const text = envText(keys).replace('AWS_SECRET_ACCESS_KEY=', 'AWS_SECRET_ACESS_KEY=');
    const problem = problemOf(text);
    expect(problem.code).toBe('MALFORMED');
    expect(problem.message).toBe(
      'line 2: AWS_SECRET_ACESS_KEY is not a name AWS tools read; did you mean AWS_SECRET_ACCESS_KEY?',
    );
  });

  it('lowercase names say that names are case-sensitive', () => {
    const keys = sampleKeys({ prefix: 'AKIA' });
    const text = `aws_access_key_id=${keys.accessKeyId}\naws_secret_access_key=${keys.secretAccessKey}\n`;
    const problem = problemOf(text);
    expect(problem.code).toBe('MALFORMED');
    expect(problem.message).toBe(
      'line 1: aws_access_key_id is in lowercase, but names are case-sensitive: write AWS_ACCESS_KEY_ID.',
    );
  });

  it('old names (AWS_SECRET_KEY) name the one the SDKs read', () => {
    const keys = sampleKeys({ prefix: 'AKIA' });
    const text = `AWS_ACCESS_KEY_ID=${keys.accessKeyId}\nAWS_SECRET_KEY=${keys.secretAccessKey}\n`;
    expect(problemOf(text).message).toBe(
      'line 2: AWS_SECRET_KEY is an old name that the JavaScript SDK (used by the CDK CLI) does not read: write AWS_SECRET_ACCESS_KEY.',
    );
  });

  it('a near-miss next to the real name is only a note; unrelated AWS names are left alone', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    expect(parseCredentialsFile(envText(keys, 'AWS_PROFILE=dev\n'), { now })).toMatchObject({
      notes: ['line 5: AWS_PROFILE is not used from this file.'],
    });
    // AWS_REGOIN is two edits from AWS_REGION, which is absent: that one is an error…
    const typo = problemOf(envText(keys, 'AWS_REGOIN=eu-west-1\n'));
    expect(typo.message).toBe('line 5: AWS_REGOIN is not a name AWS tools read; did you mean AWS_REGION?');
    // …but with AWS_REGION also set, a note.
    const both = parseCredentialsFile(envText(keys, 'AWS_REGION=eu-west-1\nAWS_REGOIN=eu-west-1\n'), { now });
    expect(both).toMatchObject({
      notes: ['line 6: AWS_REGOIN is not a name AWS tools read; did you mean AWS_REGION? It is not used.'],
    });
  });
});

describe('JSON that will never complete', () => {
  it('valid JSON followed by a stray `{` is a clear error, not "not complete yet"', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    const problem = problemOf(`${credentialProcessJson(keys)}\n{`);
    expect(problem.code).toBe('MALFORMED');
    expect(problem.message).toBe(
      'The file holds one JSON document and then more text from line 2, column 1; it must hold exactly one. Write the file again with `>` (not `>>`, which appends to what is there).',
    );
  });

  it('a document cut short is still NOT_READY', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    const json = credentialProcessJson(keys);
    expect(problemOf(json.slice(0, json.length - 5)).code).toBe('NOT_READY');
  });
});

describe('expirations', () => {
  it('`"Expiration": ""` is rejected, not read as never expiring', () => {
    const keys = sampleKeys();
    const text = JSON.stringify({ Version: 1, ...pick(keys), Expiration: '' });
    expect(problemOf(text).message).toBe(
      'field `Expiration` is empty; give the time the credentials expire (e.g. 2030-01-31T12:00:00Z), or leave the field out for keys that never expire.',
    );
  });

  it('an SSO expiration in seconds since 1970 is read as seconds, with a note (not 1970)', () => {
    const keys = sampleKeys({ expiration: inAnHour });
    const text = ssoJson(keys).replace(String(inAnHour.getTime()), String(inAnHour.getTime() / 1000));
    expect(text).toContain(String(inAnHour.getTime() / 1000));
    expect(parseCredentialsFile(text, { now })).toMatchObject({
      credentials: { expiration: inAnHour },
      notes: [
        'field `roleCredentials.expiration` is in seconds since 1970, not milliseconds; read it as seconds.',
      ],
    });
  });

  it('an epoch number where ISO 8601 is expected says so', () => {
    const keys = sampleKeys();
    const text = JSON.stringify({ Version: 1, ...pick(keys), Expiration: 1_900_000_000 });
    expect(problemOf(text).message).toBe(
      'field `Expiration` must be an ISO 8601 string like 2030-01-31T12:00:00Z, got a number (an epoch time?).',
    );
  });
});

describe('ownership', () => {
  it.skipIf(process.getuid?.() !== 0)(
    'a file owned by another user is refused with the fix (needs root to chown)',
    async () => {
      const dir = await tempDir();
      const file = path.join(dir, 'credentials');
      await writeFile(file, envText(sampleKeys({ expiration: new Date(Date.now() + 3_600_000) })), {
        mode: 0o600,
      });
      await chown(file, 65534, 65534);
      const error = await readCredentialsFile(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialProblem);
      expect((error as CredentialProblem).code).toBe('UNSAFE_PERMISSIONS');
      expect((error as CredentialProblem).message).toBe(
        `${file} belongs to another user (uid 65534), who can change the credentials in it. Remove it and write it again as yourself: rm -f ${file}, then write the credentials.`,
      );
    },
  );

  it('the owner check compares with the uid it is given (runs as any user)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    await writeFile(file, envText(sampleKeys({ expiration: new Date(Date.now() + 3_600_000) })), {
      mode: 0o600,
    });
    const mine = await readCredentialsFile(file);
    expect(mine.source.kind).toBe('file');
    const someoneElse = (process.getuid?.() ?? 0) + 1;
    const error = await readCredentialsFile(file, { uid: someoneElse }).catch((e: unknown) => e);
    expect((error as CredentialProblem).problem).toMatch(/belongs to another user \(uid \d+\)/);
  });
});

function pick(keys: ReturnType<typeof sampleKeys>) {
  return {
    AccessKeyId: keys.accessKeyId,
    SecretAccessKey: keys.secretAccessKey,
    ...(keys.sessionToken && { SessionToken: keys.sessionToken }),
  };
}
