import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSts, type FakeStsKey } from '../support/fake-sts.js';

let sts: FakeSts;
beforeEach(async () => {
  sts = await FakeSts.start();
});
afterEach(async () => {
  await sts.close();
});

function clientFor(key: FakeStsKey, options: { maxAttempts?: number } = {}): STSClient {
  return new STSClient({
    region: 'us-east-1',
    endpoint: sts.url,
    maxAttempts: options.maxAttempts ?? 1,
    credentials: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      sessionToken: key.sessionToken,
    },
  });
}

describe('local STS through the real AWS SDK', () => {
  it('answers GetCallerIdentity for a valid key and records the signing key', async () => {
    const key = sts.issueKey({ account: '210987654321' });
    const out = await clientFor(key).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('210987654321');
    expect(out.Arn).toBe(key.arn);
    expect(sts.requestsBy(key.accessKeyId)).toMatchObject([
      { action: 'GetCallerIdentity', service: 'sts', status: 200 },
    ]);
  });

  it('answers ExpiredToken (400) for an expired key and InvalidClientTokenId (403) for a revoked one', async () => {
    const expired = sts.issueKey();
    const revoked = sts.issueKey();
    sts.expireKey(expired.accessKeyId);
    sts.revokeKey(revoked.accessKeyId);
    await expect(clientFor(expired).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(clientFor(revoked).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('treats a key past its expiration as expired, and an unknown or mismatched token as invalid', async () => {
    const shortLived = sts.issueKey({ ttlMs: -1 });
    await expect(clientFor(shortLived).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
    });
    const key = sts.issueKey();
    await expect(
      clientFor({ ...key, sessionToken: 'not-the-token' }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('issues working credentials from AssumeRole, checking the MFA code when one is sent', async () => {
    const caller = sts.issueKey({ prefix: 'AKIA' });
    const client = clientFor(caller);
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::111122223333:role/Deploy',
        RoleSessionName: 'me',
        DurationSeconds: 900,
      }),
    );
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111122223333:assumed-role/Deploy/me');
    const remainingMs = (out.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
    expect(remainingMs).toBeGreaterThan(800_000);
    expect(remainingMs).toBeLessThanOrEqual(900_000);
    await expect(
      client.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::111122223333:role/Deploy',
          RoleSessionName: 'me',
          SerialNumber: 'arn:aws:iam::123456789012:mfa/me',
          TokenCode: '000000',
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('can fail with 5xx, go down (ECONNREFUSED) and come back on the same port', async () => {
    const key = sts.issueKey();
    sts.failNext(1, 500);
    await expect(clientFor(key).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    const port = sts.port;
    await sts.goDown();
    await expect(clientFor(key).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await sts.comeBack();
    expect(sts.port).toBe(port);
    await expect(clientFor(key).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Account: key.account,
    });
  });

  it('lets a test await a request instead of sleeping', async () => {
    const key = sts.issueKey();
    const waiting = sts.waitForRequest((r) => r.accessKeyId === key.accessKeyId, 5000);
    await clientFor(key).send(new GetCallerIdentityCommand({}));
    await expect(waiting).resolves.toMatchObject({ action: 'GetCallerIdentity' });
  });
});
