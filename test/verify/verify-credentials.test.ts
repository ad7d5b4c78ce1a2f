import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AwsCredentials } from '../../src/credentials/types.js';
import type { VerificationResult } from '../../src/verify/verification-result.js';
import { type VerifyOptions, verifyCredentials } from '../../src/verify/verify-credentials.js';
import { FakeSts, type FakeStsKey } from '../support/fake-sts.js';

let sts: FakeSts;
beforeEach(async () => {
  sts = await FakeSts.start();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await sts.close();
});

function credentialsOf(key: FakeStsKey): AwsCredentials {
  return {
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}),
    ...(key.expiration ? { expiration: key.expiration } : {}),
  };
}

function verify(credentials: AwsCredentials, options: VerifyOptions = {}): Promise<VerificationResult> {
  return verifyCredentials(credentials, { endpoint: sts.url, region: 'eu-west-1', env: {}, ...options });
}

function expectNoSecrets(result: VerificationResult, credentials: AwsCredentials): void {
  const text = JSON.stringify(result);
  expect(text).not.toContain(credentials.secretAccessKey);
  if (credentials.sessionToken) expect(text).not.toContain(credentials.sessionToken);
}

describe('verifyCredentials: working credentials', () => {
  it('accepts a temporary (ASIA) key and reports identity, region and time left', async () => {
    const key = sts.issueKey({ account: '210987654321', ttlMs: 45 * 60_000 });
    const now = new Date();
    const result = await verify(credentialsOf(key), { now: () => now });
    expect(result).toEqual({
      ok: true,
      account: '210987654321',
      arn: key.arn,
      userId: key.userId,
      region: 'eu-west-1',
      temporary: true,
      root: false,
      expiresAt: key.expiration,
      timeLeftMs: (key.expiration as Date).getTime() - now.getTime(),
    });
    expect(sts.requestsBy(key.accessKeyId)).toMatchObject([{ action: 'GetCallerIdentity', status: 200 }]);
  });

  it('accepts a long-term (AKIA) key as not temporary, with no expiry', async () => {
    const key = sts.issueKey({ prefix: 'AKIA' });
    const result = await verify(credentialsOf(key));
    expect(result).toMatchObject({ ok: true, temporary: false, account: key.account });
    expect(result).not.toHaveProperty('expiresAt');
    expect(result).not.toHaveProperty('timeLeftMs');
  });

  it('accepts the account it was told to expect', async () => {
    const key = sts.issueKey({ account: '111122223333' });
    await expect(verify(credentialsOf(key), { expectAccount: '111122223333' })).resolves.toMatchObject({
      ok: true,
      account: '111122223333',
    });
  });

  it('falls back to AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1 when no region is given', async () => {
    const key = credentialsOf(sts.issueKey());
    const noRegion = { endpoint: sts.url };
    await expect(
      verifyCredentials(key, { ...noRegion, env: { AWS_REGION: 'ap-south-1' } }),
    ).resolves.toMatchObject({ region: 'ap-south-1' });
    await expect(
      verifyCredentials(key, { ...noRegion, env: { AWS_DEFAULT_REGION: 'sa-east-1' } }),
    ).resolves.toMatchObject({ region: 'sa-east-1' });
    await expect(verifyCredentials(key, { ...noRegion, env: {} })).resolves.toMatchObject({
      region: 'us-east-1',
    });
  });
});

describe('verifyCredentials: the SDK finds the endpoint itself', () => {
  it('honours AWS_ENDPOINT_URL_STS, and AWS_ENDPOINT_URL when that is unset', async () => {
    const key = sts.issueKey();
    vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
    await expect(verifyCredentials(credentialsOf(key), { region: 'us-east-1' })).resolves.toMatchObject({
      ok: true,
    });
    vi.stubEnv('AWS_ENDPOINT_URL_STS', '');
    vi.stubEnv('AWS_ENDPOINT_URL', sts.url);
    await expect(verifyCredentials(credentialsOf(key), { region: 'us-east-1' })).resolves.toMatchObject({
      ok: true,
    });
    expect(sts.requestsBy(key.accessKeyId)).toHaveLength(2);
  });
});

describe('verifyCredentials: credentials that do not work', () => {
  it('reports STS ExpiredToken as expired', async () => {
    const key = sts.issueKey();
    sts.expireKey(key.accessKeyId);
    const result = await verify(credentialsOf(key));
    expect(result).toMatchObject({ ok: false, reason: 'expired', code: 'ExpiredToken', httpStatus: 400 });
    expectNoSecrets(result, credentialsOf(key));
  });

  it('knows credentials past their stated expiration are expired without asking STS', async () => {
    const key = sts.issueKey({ ttlMs: 60_000 });
    const later = new Date(Date.now() + 120_000);
    const result = await verify(credentialsOf(key), { now: () => later });
    expect(result).toMatchObject({ ok: false, reason: 'expired', code: 'EXPIRED' });
    expect(sts.requestsBy(key.accessKeyId)).toEqual([]);
  });

  it('reports a revoked key as invalid', async () => {
    const key = sts.issueKey();
    sts.revokeKey(key.accessKeyId);
    const result = await verify(credentialsOf(key));
    expect(result).toMatchObject({
      ok: false,
      reason: 'invalid',
      code: 'InvalidClientTokenId',
      httpStatus: 403,
    });
    expectNoSecrets(result, credentialsOf(key));
  });

  it('reports a key STS never issued, or a session token that is not the key’s, as invalid', async () => {
    const unknown = {
      accessKeyId: 'ASIAUNKNOWNKEY000000',
      secretAccessKey: 'x'.repeat(40),
      sessionToken: 'y'.repeat(80),
    };
    await expect(verify(unknown)).resolves.toMatchObject({ ok: false, reason: 'invalid' });
    const key = sts.issueKey();
    const mismatched = { ...credentialsOf(key), sessionToken: 'z'.repeat(80) };
    await expect(verify(mismatched)).resolves.toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('reports empty keys as missing without asking STS', async () => {
    const result = await verify({ accessKeyId: '', secretAccessKey: '' });
    expect(result).toMatchObject({ ok: false, reason: 'missing' });
    expect(sts.requests).toEqual([]);
  });

  it('reports an answer without an account (not STS at that endpoint) as an error', async () => {
    const key = sts.issueKey();
    sts.handle('GetCallerIdentity', () => ({
      status: 200,
      body: '<html>proxy login</html>',
      contentType: 'text/html',
    }));
    await expect(verify(credentialsOf(key))).resolves.toMatchObject({
      ok: false,
      reason: 'error',
      code: 'NOT_STS',
    });
  });

  it('reports RequestExpired as a clock problem, not expired credentials', async () => {
    const key = sts.issueKey();
    sts.handle('GetCallerIdentity', () => ({
      status: 400,
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>RequestExpired</Code><Message>Request has expired.</Message></Error></ErrorResponse>',
    }));
    const result = await verify(credentialsOf(key), { maxAttempts: 1 });
    expect(result).toMatchObject({ ok: false, reason: 'clock-skew', code: 'RequestExpired' });
    expect(result.ok || result.message).toMatch(/clock/);
  });

  it('reports a 403 SignatureDoesNotMatch "Signature expired" as clock skew, not a bad secret', async () => {
    const key = sts.issueKey();
    sts.handle('GetCallerIdentity', () => ({
      status: 403,
      body:
        '<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature expired: ' +
        '20240501T100000Z is now earlier than 20240501T100600Z (20240501T101100Z - 5 min.)</Message></Error></ErrorResponse>',
    }));
    const result = await verify(credentialsOf(key), { maxAttempts: 1 });
    expect(result).toMatchObject({
      ok: false,
      reason: 'clock-skew',
      code: 'SignatureDoesNotMatch',
      httpStatus: 403,
    });
    expect(result.ok || result.message).not.toMatch(/secret access key/);
    expect(result.ok || result.fix).toMatch(/Fix your clock/);
  });
});

describe('verifyCredentials: refusals', () => {
  it('refuses root credentials, naming the account', async () => {
    const key = sts.issueKey({
      prefix: 'AKIA',
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:root',
    });
    const result = await verify(credentialsOf(key));
    expect(result).toMatchObject({
      ok: false,
      reason: 'root',
      identity: { account: '123456789012', arn: 'arn:aws:iam::123456789012:root' },
    });
    expect(result.ok || result.message).toContain('123456789012');
  });

  it('refuses another account than expected, naming both', async () => {
    const key = sts.issueKey({ account: '111122223333' });
    const result = await verify(credentialsOf(key), { expectAccount: '444455556666' });
    expect(result).toMatchObject({
      ok: false,
      reason: 'wrong-account',
      identity: { account: '111122223333' },
    });
    expect(result.ok || result.message).toContain('111122223333');
    expect(result.ok || result.message).toContain('444455556666');
  });
});

describe('verifyCredentials: network trouble is never "expired"', () => {
  it('reports STS down (connection refused) as network, even for a key STS would call expired', async () => {
    const key = sts.issueKey();
    sts.expireKey(key.accessKeyId);
    await sts.goDown();
    const result = await verify(credentialsOf(key));
    expect(result).toMatchObject({ ok: false, reason: 'network', code: 'ECONNREFUSED' });
  });

  it('reports an STS slower than the timeout as network', async () => {
    const key = sts.issueKey();
    sts.latencyMs = 2_000;
    const started = Date.now();
    const result = await verify(credentialsOf(key), { timeoutMs: 200, maxAttempts: 1 });
    expect(result).toMatchObject({ ok: false, reason: 'network' });
    expect(Date.now() - started).toBeLessThan(sts.latencyMs);
  });

  it('gives up at the overall deadline however many attempts remain', async () => {
    const key = sts.issueKey();
    sts.latencyMs = 2_000;
    const started = Date.now();
    const result = await verify(credentialsOf(key), { timeoutMs: 1_500, maxAttempts: 3, deadlineMs: 200 });
    expect(result).toMatchObject({ ok: false, reason: 'network' });
    expect(result.ok || result.message).toMatch(/within 200ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('reports 5xx as network once the retry fails too, and recovers when the retry succeeds', async () => {
    const key = sts.issueKey();
    sts.failNext(2, 500, 'InternalFailure');
    await expect(verify(credentialsOf(key), { maxAttempts: 2 })).resolves.toMatchObject({
      ok: false,
      reason: 'network',
      code: 'InternalFailure',
      httpStatus: 500,
    });
    sts.failNext(1, 503, 'ServiceUnavailable');
    await expect(verify(credentialsOf(key), { maxAttempts: 2 })).resolves.toMatchObject({ ok: true });
  });

  it('reports throttling as network', async () => {
    const key = sts.issueKey();
    sts.failNext(1, 400, 'Throttling', 'Rate exceeded');
    await expect(verify(credentialsOf(key), { maxAttempts: 1 })).resolves.toMatchObject({
      ok: false,
      reason: 'network',
      code: 'Throttling',
    });
  });

  it('reports a TLS failure (https to a plain-http endpoint) as network', async () => {
    const key = sts.issueKey();
    const result = await verify(credentialsOf(key), {
      endpoint: sts.url.replace('http:', 'https:'),
      maxAttempts: 1,
    });
    expect(result).toMatchObject({ ok: false, reason: 'network' });
    expect(result.ok || result.message).toMatch(/TLS/);
  });

  it('reports an abandoned call (the supervisor stopping) as network', async () => {
    const key = sts.issueKey();
    sts.latencyMs = 2_000;
    const controller = new AbortController();
    const pending = verify(credentialsOf(key), { signal: controller.signal });
    await sts.waitForRequest((r) => r.accessKeyId === key.accessKeyId);
    controller.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, reason: 'network', code: 'ABORTED' });
  });
});
