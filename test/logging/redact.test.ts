import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretKeyName, maskAccessKeyId, REDACTED, Redactor } from '../../src/logging/redact.js';
import {
  accessKeyId,
  embedded,
  filler,
  hexToken,
  registeredToken,
  secretAccessKey,
  sessionToken,
} from './secrets.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD${'a1B2c3D4'.repeat(40)}==`;
const KEY_ID = 'ASIAIOSFODNN7EXAMPLE';

describe('maskAccessKeyId', () => {
  it('keeps the first and last four characters', () => {
    expect(maskAccessKeyId(KEY_ID)).toBe('ASIA…MPLE');
    expect(maskAccessKeyId('AKIAABCDEFGHIJKLWXYZ')).toBe('AKIA…WXYZ');
  });

  it('does not shorten something too short to be a key id into itself', () => {
    expect(maskAccessKeyId('ASIA1234')).toBe('(not an access key id)');
  });
});

describe('Redactor.scrubText', () => {
  it('removes everything `aws configure export-credentials --format env` prints, keeping the rest', () => {
    const env = [
      `export AWS_ACCESS_KEY_ID=${KEY_ID}`,
      `export AWS_SECRET_ACCESS_KEY=${SECRET}`,
      `export AWS_SESSION_TOKEN=${TOKEN}`,
      'export AWS_CREDENTIAL_EXPIRATION=2025-06-01T12:00:00+00:00',
    ].join('\n');
    const out = new Redactor().scrubText(env);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(TOKEN.slice(0, 60));
    expect(out).not.toContain(KEY_ID);
    expect(out).toContain('AWS_ACCESS_KEY_ID=ASIA…MPLE');
    expect(out).toContain('AWS_CREDENTIAL_EXPIRATION=2025-06-01T12:00:00+00:00');
  });

  it('masks short values that follow a credential name, which no shape rule would catch', () => {
    const out = new Redactor().scrubText(
      'AWS_SESSION_TOKEN="abc123" and sessionToken: xyz789 and Authorization: Bearer tok3n',
    );
    expect(out).not.toMatch(/abc123|xyz789|tok3n/);
  });

  it('leaves ordinary supervisor text alone', () => {
    const ordinary = [
      'ExpiredToken: The security token included in the request is expired',
      'arn:aws:sts::123456789012:assumed-role/Developer/alice@example.com',
      '/home/alice/work/my-app/.cred-supervisor/credentials',
      '2025-06-01T12:00:00.000Z in 42m (account 012345678901, region eu-west-1)',
      'request id 3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b',
      'Stack: deploying... [1/1]',
    ];
    const redactor = new Redactor();
    for (const line of ordinary) expect(redactor.scrubText(line)).toBe(line);
  });

  it('removes a registered secret even when glued to other text', () => {
    const redactor = new Redactor();
    const endpointToken = 'e9Xq-_0aZ83LmPq';
    redactor.registerSecret(endpointToken);
    expect(redactor.scrubText(`Bearer${endpointToken}xyz`)).toBe(`Bearer${REDACTED}xyz`);
  });

  it('ignores registrations too short to be secrets, which would mask ordinary words', () => {
    const redactor = new Redactor();
    redactor.registerSecret('abc');
    expect(redactor.scrubText('abc abc')).toBe('abc abc');
  });

  it('never lets a generated secret through, whatever text surrounds it (property)', () => {
    const anySecret = fc.oneof(secretAccessKey(), sessionToken(), hexToken());
    fc.assert(
      fc.property(fc.array(embedded(anySecret), { minLength: 1, maxLength: 4 }), (parts) => {
        const out = new Redactor().scrubText(parts.map((part) => part.text).join(' '));
        for (const { value } of parts) expect(out).not.toContain(value);
      }),
      { numRuns: 300 },
    );
  });

  it('always shortens access key ids (property)', () => {
    fc.assert(
      fc.property(embedded(accessKeyId()), ({ value, text }) => {
        const out = new Redactor().scrubText(text);
        expect(out).not.toContain(value);
        expect(out).toContain(maskAccessKeyId(value));
      }),
    );
  });

  it('removes registered tokens wherever they are, with no delimiter needed (property)', () => {
    fc.assert(
      fc.property(filler(), registeredToken(), filler(), (before, token, after) => {
        const redactor = new Redactor();
        redactor.registerSecret(token);
        expect(redactor.scrubText(`${before}${token}${after}`)).not.toContain(token);
      }),
    );
  });
});

describe('Redactor.scrubValue', () => {
  it('censors secret-named properties at any depth and scrubs error texts', () => {
    const error = Object.assign(new Error(`STS said no to ${SECRET}`), { code: 'ExpiredToken' });
    const value = {
      a: { b: { c: { d: { SecretAccessKey: 'short', Token: 'tok', accessKeyId: KEY_ID } } } },
      list: [{ aws_session_token: 'abc' }, `key ${SECRET}`],
      error,
    };
    const out = JSON.stringify(new Redactor().scrubValue(value));
    expect(out).not.toMatch(/short|"tok"|abc|wJalr/);
    expect(out).toContain('"accessKeyId":"ASIA…MPLE"');
    expect(out).toContain('"code":"ExpiredToken"');
  });

  it('survives circular structures', () => {
    const value: Record<string, unknown> = { name: 'loop' };
    value.self = value;
    expect(new Redactor().scrubValue(value)).toEqual({ name: 'loop', self: '[Circular]' });
  });

  it('knows the credential key names in their usual spellings', () => {
    for (const name of [
      'secretAccessKey',
      'SecretAccessKey',
      'aws_secret_access_key',
      'SessionToken',
      'Token',
    ]) {
      expect(isSecretKeyName(name)).toBe(true);
    }
    for (const name of ['account', 'arn', 'expiresAt', 'source', 'tokenFile']) {
      expect(isSecretKeyName(name)).toBe(false);
    }
  });
});

describe('Redactor.scrubJsonLine', () => {
  it('finds a secret that a JSON escape sits right next to', () => {
    const line = `${JSON.stringify({ msg: `first line\n${SECRET}\tend` })}\n`;
    const out = new Redactor().scrubJsonLine(line);
    expect(out).not.toContain(SECRET);
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out).msg).toBe(`first line\n${REDACTED}\tend`);
  });
});
