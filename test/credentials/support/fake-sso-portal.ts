/**
 * The AWS SSO portal's GetRoleCredentials (`GET /federation/credentials`) on loopback, enough for the
 * SDK's SSO provider: answers role credentials for one bearer token, 401 UnauthorizedException otherwise.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SampleKeys } from './sample-credentials.js';

export interface FakeSsoPortal {
  url: string;
  requests: { accountId: string | null; roleName: string | null; token: string | undefined }[];
  close(): Promise<void>;
}

export async function startFakeSsoPortal(validToken: string, keys: () => SampleKeys): Promise<FakeSsoPortal> {
  const requests: FakeSsoPortal['requests'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = req.headers['x-amz-sso_bearer_token'];
    requests.push({
      accountId: url.searchParams.get('account_id'),
      roleName: url.searchParams.get('role_name'),
      token: typeof token === 'string' ? token : undefined,
    });
    if (url.pathname !== '/federation/credentials' || token !== validToken) {
      res.writeHead(401, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnauthorizedException' });
      res.end(JSON.stringify({ message: 'Session token not found or invalid' }));
      return;
    }
    const k = keys();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        roleCredentials: {
          accessKeyId: k.accessKeyId,
          secretAccessKey: k.secretAccessKey,
          sessionToken: k.sessionToken,
          expiration: k.expiration?.getTime(),
        },
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
