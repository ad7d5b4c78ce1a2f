// The real SDK credential providers, in this process, against the endpoint: the answer's shape,
// the token file and the advertised lease are what the SDK actually accepts.
import { readFile } from 'node:fs/promises';
import { fromContainerMetadata, fromHttp } from '@aws-sdk/credential-providers';
import { describe, expect, it, onTestFinished } from 'vitest';
import { SDK_REFRESH_WINDOW_MS } from '../../src/delivery/advertised-expiration.js';
import { startTestEndpoint } from './endpoint-helpers.js';

const KEY_1 = {
  accessKeyId: 'ASIAFIRSTKEY00000001',
  secretAccessKey: 'first-secret',
  sessionToken: 'first-session-token',
  expiration: new Date(Date.now() + 3_600_000),
};
const KEY_2 = {
  accessKeyId: 'ASIASECONDKEY0000002',
  secretAccessKey: 'second-secret',
  sessionToken: 'second-session-token',
  expiration: new Date(Date.now() + 3_600_000),
};

describe('the real SDK providers against the endpoint', () => {
  it('fromHttp (FULL_URI + token file) returns what is served, and the next fetch sees a swap', async () => {
    const endpoint = await startTestEndpoint({ credentials: KEY_1, leaseMs: 10_000 });
    const provider = fromHttp({
      awsContainerCredentialsFullUri: endpoint.url,
      awsContainerAuthorizationTokenFile: endpoint.tokenFile,
    });
    const first = await provider();
    expect(first).toMatchObject({
      accessKeyId: KEY_1.accessKeyId,
      secretAccessKey: KEY_1.secretAccessKey,
      sessionToken: KEY_1.sessionToken,
    });
    const left = (first.expiration?.getTime() ?? 0) - Date.now();
    // The 10 s lease, not the real expiry an hour away: inside the SDK's refresh window.
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(10_000);
    expect(left).toBeLessThan(SDK_REFRESH_WINDOW_MS);

    endpoint.serve(KEY_2);
    await expect(provider()).resolves.toMatchObject({ accessKeyId: KEY_2.accessKeyId });
    expect(endpoint.requestCount).toBe(2);
  });

  it('fromHttp gives a long-term key (no session token) without a token', async () => {
    const endpoint = await startTestEndpoint({
      credentials: { accessKeyId: 'AKIALONGTERMKEY00001', secretAccessKey: 'long-term-secret' },
    });
    const provider = fromHttp({
      awsContainerCredentialsFullUri: endpoint.url,
      awsContainerAuthorizationTokenFile: endpoint.tokenFile,
    });
    const creds = await provider();
    expect(creds.accessKeyId).toBe('AKIALONGTERMKEY00001');
    expect(creds.sessionToken ?? '').toBe('');
  });

  it('fromHttp fails (no secret in the error) when nothing is served, and with a wrong token file', async () => {
    const endpoint = await startTestEndpoint();
    endpoint.serve(null, 'waiting for fresh credentials');
    const noRetry = { maxRetries: 0, timeout: 1_000 };
    await expect(
      fromHttp({
        ...noRetry,
        awsContainerCredentialsFullUri: endpoint.url,
        awsContainerAuthorizationTokenFile: endpoint.tokenFile,
      })(),
    ).rejects.toMatchObject({ name: 'CredentialsProviderError', message: expect.stringContaining('503') });

    const other = await startTestEndpoint({ credentials: KEY_1 });
    const error = await fromHttp({
      ...noRetry,
      awsContainerCredentialsFullUri: endpoint.url,
      awsContainerAuthorizationTokenFile: other.tokenFile,
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'CredentialsProviderError',
      message: expect.stringContaining('403'),
    });
    expect(JSON.stringify(error)).not.toContain(KEY_1.secretAccessKey);
  });

  it('fromContainerMetadata (env FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN) returns what is served', async () => {
    const endpoint = await startTestEndpoint({ credentials: KEY_1 });
    const saved = {
      uri: process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      token: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
    };
    onTestFinished(() => {
      for (const [name, value] of [
        ['AWS_CONTAINER_CREDENTIALS_FULL_URI', saved.uri],
        ['AWS_CONTAINER_AUTHORIZATION_TOKEN', saved.token],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = await readFile(endpoint.tokenFile, 'utf8');
    await expect(fromContainerMetadata()()).resolves.toMatchObject({
      accessKeyId: KEY_1.accessKeyId,
      secretAccessKey: KEY_1.secretAccessKey,
      sessionToken: KEY_1.sessionToken,
    });
    endpoint.serve(KEY_2);
    await expect(fromContainerMetadata()()).resolves.toMatchObject({ accessKeyId: KEY_2.accessKeyId });
  });
});
