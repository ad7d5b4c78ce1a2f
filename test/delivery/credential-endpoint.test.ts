import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AwsCredentials } from '../../src/credentials/types.js';
import { SDK_REFRESH_WINDOW_MS } from '../../src/delivery/advertised-expiration.js';
import { startCredentialEndpoint } from '../../src/delivery/credential-endpoint.js';
import { rawRequest, startTestEndpoint, tempDir } from './endpoint-helpers.js';

const CREDS: AwsCredentials = {
  accessKeyId: 'ASIAEXAMPLEKEY000001',
  secretAccessKey: 'secret-access-key-do-not-leak',
  sessionToken: 'session-token-do-not-leak',
  expiration: new Date(Date.now() + 3_600_000),
};

function targetOf(url: string): string {
  return new URL(url).pathname;
}

async function tokenOf(endpoint: { tokenFile: string }): Promise<string> {
  return readFile(endpoint.tokenFile, 'utf8');
}

describe('credential endpoint: who gets an answer', () => {
  it('binds 127.0.0.1 only, on a random port, with a random path', async () => {
    const a = await startTestEndpoint();
    const b = await startTestEndpoint();
    expect(a.address().address).toBe('127.0.0.1');
    expect(a.address().family).toBe('IPv4');
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}$/);
    expect(a.port).not.toBe(b.port);
    expect(targetOf(a.url)).not.toBe(targetOf(b.url));
  });

  it('refuses any host option other than 127.0.0.1', async () => {
    const stateDir = path.join(await tempDir(), 'state');
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.10']) {
      await expect(startCredentialEndpoint({ stateDir, host })).rejects.toThrow(
        `Expected the \`host\` option of the credential endpoint to be \`127.0.0.1\` (loopback only), got \`${host}\`.`,
      );
    }
  });

  it('serves the credentials to a request with the token, the loopback Host and GET on the path', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const answer = await rawRequest(endpoint.port, {
      target: targetOf(endpoint.url),
      authorization: await tokenOf(endpoint),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    const body = JSON.parse(answer.body);
    expect(body).toEqual({
      AccessKeyId: CREDS.accessKeyId,
      SecretAccessKey: CREDS.secretAccessKey,
      Token: CREDS.sessionToken,
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // Short lease: about 60 s away (inside the SDK's refresh window), not the real expiry an hour away.
    const left = Date.parse(body.Expiration) - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(left).toBeLessThan(SDK_REFRESH_WINDOW_MS);
  });

  it('accepts localhost:PORT as Host too (what the SDK sends for a localhost URL)', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const answer = await rawRequest(endpoint.port, {
      target: targetOf(endpoint.url),
      host: `localhost:${endpoint.port}`,
      authorization: await tokenOf(endpoint),
    });
    expect(answer.status).toBe(200);
  });

  it('answers 403 without detail to a missing, wrong or other-instance token', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const other = await startTestEndpoint({ credentials: CREDS });
    const token = await tokenOf(endpoint);
    const target = targetOf(endpoint.url);
    const attempts = [
      undefined,
      '',
      'wrong',
      `${token}x`,
      token.slice(0, -1),
      `Bearer ${token}`,
      await tokenOf(other),
    ];
    for (const authorization of attempts) {
      const answer = await rawRequest(endpoint.port, { target, authorization });
      expect(answer.status, `token ${JSON.stringify(authorization?.slice(0, 8))}…`).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ Code: 'Forbidden', Message: 'Forbidden' });
    }
  });

  it('answers 403 to a foreign Host header (DNS rebinding), even with the right token', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const authorization = await tokenOf(endpoint);
    const target = targetOf(endpoint.url);
    for (const host of [
      `evil.example:${endpoint.port}`,
      'evil.example',
      `127.0.0.1:${endpoint.port + 1}`,
      '127.0.0.1',
      `127.0.0.1.evil.example:${endpoint.port}`,
    ]) {
      const answer = await rawRequest(endpoint.port, { target, host, authorization });
      expect(answer.status, host).toBe(403);
      expect(answer.body).not.toContain(CREDS.secretAccessKey);
    }
  });

  it('answers 404 to another path and 405 to another method, only after the token is checked', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const authorization = await tokenOf(endpoint);
    const target = targetOf(endpoint.url);
    for (const other of ['/', `${target}/`, `${target}?x=1`, '/latest/meta-data', target.toUpperCase()]) {
      expect((await rawRequest(endpoint.port, { target: other, authorization })).status, other).toBe(404);
      // Without the token nothing is revealed, not even that the path does not exist.
      expect((await rawRequest(endpoint.port, { target: other })).status, other).toBe(403);
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD']) {
      const answer = await rawRequest(endpoint.port, { method, target, authorization, body: 'x' });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe('GET');
    }
    expect((await rawRequest(endpoint.port, { method: 'POST', target })).status).toBe(403);
  });

  it('answers 503 CredentialsUnavailable with the reason and no secret after serve(null)', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const request = async () =>
      rawRequest(endpoint.port, { target: targetOf(endpoint.url), authorization: await tokenOf(endpoint) });
    expect((await request()).status).toBe(200);
    endpoint.serve(null, 'Credentials expired; write fresh ones to .cred-supervisor/credentials.');
    const answer = await request();
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({
      Code: 'CredentialsUnavailable',
      Message: 'Credentials expired; write fresh ones to .cred-supervisor/credentials.',
    });
    for (const secret of [CREDS.secretAccessKey, CREDS.sessionToken ?? '', CREDS.accessKeyId]) {
      expect(answer.body).not.toContain(secret);
    }
  });

  it('answers 503 before anything is served, and for credentials already past their expiry', async () => {
    const endpoint = await startTestEndpoint();
    const request = async () =>
      rawRequest(endpoint.port, { target: targetOf(endpoint.url), authorization: await tokenOf(endpoint) });
    expect(JSON.parse((await request()).body)).toMatchObject({ Code: 'CredentialsUnavailable' });
    const expiredAt = new Date(Date.now() - 1_000);
    endpoint.serve({ ...CREDS, expiration: expiredAt });
    const answer = await request();
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({
      Code: 'CredentialsExpired',
      Message: `The credentials on offer expired at ${expiredAt.toISOString()}; cred-supervisor is waiting for fresh ones.`,
    });
    expect(answer.body).not.toContain(CREDS.secretAccessKey);
  });

  it('copies what it is given: mutating the caller object later changes nothing', async () => {
    const endpoint = await startTestEndpoint();
    const creds = { ...CREDS, expiration: new Date(CREDS.expiration!) };
    endpoint.serve(creds);
    creds.accessKeyId = 'ASIACHANGEDAFTERWARDS';
    creds.expiration.setTime(0);
    const answer = await rawRequest(endpoint.port, {
      target: targetOf(endpoint.url),
      authorization: await tokenOf(endpoint),
    });
    expect(JSON.parse(answer.body).AccessKeyId).toBe(CREDS.accessKeyId);
  });

  it('uses the injected clock and lease for the advertised expiration', async () => {
    const now = Date.parse('2030-01-01T00:00:00.000Z');
    const endpoint = await startTestEndpoint({
      leaseMs: 1_500,
      now: () => now,
      credentials: { ...CREDS, expiration: new Date(now + 3_600_000) },
    });
    const answer = await rawRequest(endpoint.port, {
      target: targetOf(endpoint.url),
      authorization: await tokenOf(endpoint),
    });
    expect(JSON.parse(answer.body).Expiration).toBe(new Date(now + 1_500).toISOString());
  });

  it('counts requests and reports each one (status, time, key id) without secrets', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const events: unknown[] = [];
    endpoint.on('request', (event) => events.push(event));
    const before = Date.now();
    await rawRequest(endpoint.port, {
      target: targetOf(endpoint.url),
      authorization: await tokenOf(endpoint),
    });
    await rawRequest(endpoint.port, { target: targetOf(endpoint.url) });
    expect(endpoint.requestCount).toBe(2);
    expect(endpoint.lastRequestAt).toBeGreaterThanOrEqual(before);
    expect(events).toEqual([
      { at: expect.any(Number), status: 200, accessKeyId: CREDS.accessKeyId },
      { at: expect.any(Number), status: 403 },
    ]);
    expect(JSON.stringify(events)).not.toContain(CREDS.secretAccessKey);
  });
});

describe('credential endpoint: the token file', () => {
  it('is mode 600, 64 hex characters without a trailing newline, in the state dir (mode 700)', async () => {
    const stateDir = path.join(await tempDir(), 'state');
    const endpoint = await startTestEndpoint({ stateDir });
    expect(path.dirname(endpoint.tokenFile)).toBe(stateDir);
    expect(path.isAbsolute(endpoint.tokenFile)).toBe(true);
    expect((await stat(endpoint.tokenFile)).mode & 0o777).toBe(0o600);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    const token = await tokenOf(endpoint);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(token.endsWith('\n')).toBe(false);
  });

  it('is removed on close, and the port stops answering', async () => {
    const endpoint = await startTestEndpoint();
    await endpoint.close();
    await expect(stat(endpoint.tokenFile)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(rawRequest(endpoint.port, { target: '/' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await endpoint.close(); // twice is harmless
  });

  it('is not removed by an older instance closing after a newer one wrote the same file', async () => {
    const stateDir = path.join(await tempDir(), 'state');
    const older = await startTestEndpoint({ stateDir });
    const newer = await startTestEndpoint({ stateDir });
    await older.close();
    expect(await tokenOf(newer)).toMatch(/^[0-9a-f]{64}$/);
    const answer = await rawRequest(newer.port, {
      target: targetOf(newer.url),
      authorization: await tokenOf(newer),
    });
    expect(answer.status).toBe(503); // authorised, nothing served yet
  });
});

describe('credential endpoint: hostile neighbours', () => {
  /** Opens `count` connections that send nothing; resolves once all are connected. */
  async function idleConnections(port: number, count: number): Promise<import('node:net').Socket[]> {
    const net = await import('node:net');
    const sockets = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<import('node:net').Socket>((resolve, reject) => {
            const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
            socket.on('error', reject);
          }),
      ),
    );
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
    });
    return sockets;
  }

  const closed = (socket: import('node:net').Socket) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed || socket.readableEnded) resolve();
      else socket.once('close', () => resolve());
    });

  it('holds at most maxConnections: the oldest idle one makes room, and a client that asks is answered', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS, maxConnections: 8 });
    const idle = await idleConnections(endpoint.port, 8);
    for (const socket of idle) socket.on('error', () => {});
    const answer = await rawRequest(endpoint.port, {
      target: targetOf(endpoint.url),
      authorization: await tokenOf(endpoint),
    });
    expect(answer.status).toBe(200);
    // The first (oldest) idle connection was the one dropped to make room.
    await closed(idle[0]!);
    expect(idle[0]!.destroyed || idle[0]!.readableEnded).toBe(true);
  });

  it('drops a connection that sends no complete header within the header timeout', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const [socket] = await idleConnections(endpoint.port, 1);
    socket!.on('error', () => {});
    socket!.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // never finished
    const started = Date.now();
    await closed(socket!);
    // Node checks the timeout every 500 ms: dropped a little after the 2 s, well before its 60 s default.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps serving when accepting a connection fails (the listener error is handled, not thrown)', async () => {
    const errors: Error[] = [];
    const endpoint = await startTestEndpoint({ credentials: CREDS, onError: (error) => errors.push(error) });
    // What libuv reports when accept() hits EMFILE: an 'error' on the listening server.
    const server = (endpoint as unknown as { server: import('node:http').Server }).server;
    server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
    expect(errors.map((error) => error.message)).toEqual(['accept EMFILE']);
    const answer = await rawRequest(endpoint.port, {
      target: targetOf(endpoint.url),
      authorization: await tokenOf(endpoint),
    });
    expect(answer.status).toBe(200);
  });
});

describe('credential endpoint: client tokens (one child each)', () => {
  it('each client token is its own file (mode 600) and names its client in the request events', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const web = await endpoint.issueClientToken();
    const worker = await endpoint.issueClientToken();
    expect(web.id).not.toBe(worker.id);
    expect(path.dirname(web.tokenFile)).toBe(path.dirname(endpoint.tokenFile));
    expect(web.tokenFile).not.toBe(worker.tokenFile);
    expect(web.tokenFile).not.toBe(endpoint.tokenFile);
    expect((await stat(web.tokenFile)).mode & 0o777).toBe(0o600);
    const tokens = [await tokenOf(web), await tokenOf(worker), await tokenOf(endpoint)];
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{64}$/);
    // The token file's name says which client it is, never the token.
    expect(web.tokenFile).not.toContain(tokens[0]);

    const events: { client?: string; status: number }[] = [];
    endpoint.on('request', (event) => events.push(event));
    const target = targetOf(endpoint.url);
    for (const authorization of tokens) {
      expect((await rawRequest(endpoint.port, { target, authorization })).status).toBe(200);
    }
    expect(events.map((e) => e.client)).toEqual([web.id, worker.id, undefined]);
    expect(JSON.stringify(events)).not.toContain(tokens[0]);
  });

  it('a revoked token is refused (403) and its file removed; the others keep working', async () => {
    const endpoint = await startTestEndpoint({ credentials: CREDS });
    const web = await endpoint.issueClientToken();
    const worker = await endpoint.issueClientToken();
    const webToken = await tokenOf(web);
    const target = targetOf(endpoint.url);
    expect((await rawRequest(endpoint.port, { target, authorization: webToken })).status).toBe(200);
    await web.revoke();
    await expect(stat(web.tokenFile)).rejects.toMatchObject({ code: 'ENOENT' });
    const refused = await rawRequest(endpoint.port, { target, authorization: webToken });
    expect(refused.status).toBe(403);
    expect(refused.body).toBe('{"Code":"Forbidden","Message":"Forbidden"}');
    const others = [await tokenOf(worker), await tokenOf(endpoint)];
    for (const authorization of others) {
      expect((await rawRequest(endpoint.port, { target, authorization })).status).toBe(200);
    }
  });

  it('close removes every client token file', async () => {
    const endpoint = await startTestEndpoint();
    const clients = [await endpoint.issueClientToken(), await endpoint.issueClientToken()];
    await endpoint.close();
    for (const client of clients) {
      await expect(stat(client.tokenFile)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });
});
