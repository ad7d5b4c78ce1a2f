import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import {
  type CredentialEndpointOptions,
  startCredentialEndpoint,
} from '../../src/delivery/credential-endpoint.js';

/** A temp dir removed when the current test finishes. */
export async function tempDir(prefix = 'cred-supervisor-delivery-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An endpoint in its own temp state dir, closed when the current test finishes. */
export async function startTestEndpoint(options: Partial<CredentialEndpointOptions> = {}) {
  const stateDir = options.stateDir ?? path.join(await tempDir(), 'state');
  const endpoint = await startCredentialEndpoint({ ...options, stateDir });
  onTestFinished(() => endpoint.close());
  return endpoint;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with full control over method, target, Host and Authorization (fetch forbids some). */
export function rawRequest(
  port: number,
  options: { method?: string; target: string; host?: string; authorization?: string; body?: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: options.host ?? `127.0.0.1:${port}` };
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.target,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
