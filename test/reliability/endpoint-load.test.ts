// The credential endpoint hammered: 1000 requests a second for 5 seconds on loopback, good ones and
// bad ones (no token, a wrong token, a foreign Host header) mixed, while the credentials are swapped
// under them. Every answer must be right (the right status, never a mix of two credential sets, never
// a secret in a refusal) and the endpoint must not keep anything per request. Who gets an answer at
// all (token, Host, path, method) is unit tested in test/delivery/credential-endpoint.test.ts.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AwsCredentials } from '../../src/credentials/types.js';
import { startTestEndpoint } from '../delivery/endpoint-helpers.js';
import { FakeSts } from '../support/fake-sts.js';

const RATE_PER_S = 1000;
const DURATION_MS = 5000;
const TOTAL = (RATE_PER_S * DURATION_MS) / 1000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Answer {
  status: number;
  body: string;
}

type Kind = 'good' | 'no-token' | 'wrong-token' | 'foreign-host';

function ask(agent: http.Agent, url: URL, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: url.port, path: url.pathname, method: 'GET', headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function credentialsOf(sts: FakeSts): AwsCredentials {
  const key = sts.issueKey();
  return {
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    sessionToken: key.sessionToken,
    expiration: key.expiration,
  };
}

describe('credential endpoint under load', () => {
  it('answers 1000 requests/s for 5 s correctly, across swaps, without growing', async () => {
    // Only used to mint realistic keys; nothing is sent to it.
    const sts = await FakeSts.start();
    onTestFinished(() => sts.close());
    const sets = [credentialsOf(sts), credentialsOf(sts)];
    const byKeyId = new Map(sets.map((set) => [set.accessKeyId, set]));
    const endpoint = await startTestEndpoint({ credentials: sets[0]! });
    const token = readFileSync(endpoint.tokenFile, 'utf8');
    const url = new URL(endpoint.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    onTestFinished(() => agent.destroy());

    const headersFor: Record<Kind, Record<string, string>> = {
      good: { authorization: token },
      'no-token': {},
      'wrong-token': { authorization: 'f'.repeat(64) },
      'foreign-host': { authorization: token, host: `attacker.example:${url.port}` },
    };
    const kindOf = (i: number): Kind =>
      i % 10 === 7 ? 'no-token' : i % 10 === 8 ? 'wrong-token' : i % 10 === 9 ? 'foreign-host' : 'good';
    const problems: string[] = [];
    const check = (kind: Kind, answer: Answer): void => {
      if (kind !== 'good') {
        if (answer.status !== 403) problems.push(`${kind}: status ${answer.status}`);
        for (const set of sets) {
          if (answer.body.includes(set.secretAccessKey) || answer.body.includes(set.sessionToken!)) {
            problems.push(`${kind}: a secret in the refusal`);
          }
        }
        return;
      }
      if (answer.status !== 200) {
        problems.push(`good: status ${answer.status}`);
        return;
      }
      const body = JSON.parse(answer.body) as Record<string, string>;
      const set = byKeyId.get(body.AccessKeyId ?? '');
      // Exactly one of the served sets, whole: never the key of one with the secret of the other.
      if (!set || body.SecretAccessKey !== set.secretAccessKey || body.Token !== set.sessionToken) {
        problems.push('good: a mixed or unknown credential set');
      }
    };

    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    let swaps = 0;
    const fire = () => {
      const kind = kindOf(sent);
      sent += 1;
      // A swap every 250 requests (every 250 ms at the full rate), between requests in flight.
      if (sent % 250 === 0) {
        swaps += 1;
        endpoint.serve(sets[swaps % 2]!);
      }
      const request = ask(agent, url, headersFor[kind])
        .then(
          (answer) => check(kind, answer),
          (error: Error) => {
            problems.push(`${kind}: ${error.message}`);
          },
        )
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    };

    const start = Date.now();
    let heapWarm: number | undefined;
    // Paced by the clock: every 10 ms, as many requests as keep us at RATE_PER_S since the start.
    while (Date.now() - start < DURATION_MS) {
      const due = Math.min(Math.floor(((Date.now() - start) * RATE_PER_S) / 1000), TOTAL);
      while (sent < due) fire();
      if (heapWarm === undefined && Date.now() - start >= 1000) {
        await Promise.all(inFlight);
        heapWarm = heapAfterGc();
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    while (sent < TOTAL) fire();
    await Promise.all(inFlight);
    const seconds = (Date.now() - start) / 1000;
    const heapEnd = heapAfterGc();

    expect(problems.slice(0, 10)).toEqual([]);
    expect(sent).toBe(TOTAL);
    expect(endpoint.requestCount).toBe(sent);
    expect(swaps).toBe(TOTAL / 250);
    // Nothing kept per request: 4000 requests after warm-up may not add 512 bytes each (a kept
    // request record, its headers or a closure would), the test's own bookkeeping included.
    expect(heapEnd - heapWarm!).toBeLessThan(2 * 1024 * 1024);
    console.log(
      `endpoint load: ${sent} requests in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s), ` +
        `${swaps} swaps, heap ${((heapEnd - heapWarm!) / 1024).toFixed(0)} KiB after warm-up`,
    );
  });
});
