// A real AWS SDK v3 child (test/fixtures/sdk-child.mjs, default credential chain) reading its
// credentials from the endpoint, against the fake STS: rotation and revocation reach it without a
// restart, and the endpoint wins over keys in the environment and in ~/.aws.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { AwsCredentials } from '../../src/credentials/types.js';
import { buildChildEnv } from '../../src/delivery/child-env.js';
import type { CredentialEndpoint } from '../../src/delivery/credential-endpoint.js';
import { writeNeutralAwsConfig } from '../../src/delivery/neutral-aws-config.js';
import { FakeSts, type FakeStsKey, type FakeStsRequest } from '../support/fake-sts.js';
import { startTestEndpoint, tempDir } from './endpoint-helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/sdk-child.mjs', import.meta.url));
// Small so that each rotation lands within a few hundred ms; production uses 60 s.
const LEASE_MS = 200;
const INTERVAL_MS = 100;

interface SdkChild {
  process: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

let sts: FakeSts;
beforeEach(async () => {
  sts = await FakeSts.start();
});
afterEach(async () => {
  await sts.close();
});

function credentialsOf(key: FakeStsKey): AwsCredentials {
  return {
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    sessionToken: key.sessionToken,
    expiration: key.expiration,
  };
}

function masked(keyId: string): string {
  return `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;
}

/** HOME with a `[default]` profile holding another valid key: it must NOT be what the child uses. */
async function isolatedHome(decoy: FakeStsKey): Promise<string> {
  const home = await tempDir();
  await mkdir(path.join(home, '.aws'), { mode: 0o700 });
  await writeFile(
    path.join(home, '.aws', 'credentials'),
    `[default]\naws_access_key_id = ${decoy.accessKeyId}\naws_secret_access_key = ${decoy.secretAccessKey}\n` +
      `aws_session_token = ${decoy.sessionToken}\n`,
    { mode: 0o600 },
  );
  return home;
}

async function startSdkChild(endpoint: CredentialEndpoint, home: string, shellKey: FakeStsKey) {
  const stateDir = path.dirname(endpoint.tokenFile);
  // Region only from the neutral config: the child fails with "Region is missing" if it is lost.
  await writeNeutralAwsConfig({ dir: stateDir, region: 'us-east-1' });
  const env = buildChildEnv({
    baseEnv: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      SDK_CHILD_INTERVAL_MS: String(INTERVAL_MS),
      // A supervisor's shell with its own (valid!) keys and a profile: both must be cleaned away.
      AWS_ACCESS_KEY_ID: shellKey.accessKeyId,
      AWS_SECRET_ACCESS_KEY: shellKey.secretAccessKey,
      AWS_SESSION_TOKEN: shellKey.sessionToken,
      AWS_PROFILE: 'default',
    },
    delivery: 'endpoint',
    endpoint,
    neutralConfigDir: stateDir,
  });
  const child = spawn(process.execPath, [FIXTURE], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sdkChild: SdkChild = {
    process: child,
    lines: [],
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    sdkChild.lines.push(...parts);
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await sdkChild.exited;
  });
  /** The first fake-STS request matching `predicate`; fails early (with output) if the child dies. */
  const request = (predicate: (r: FakeStsRequest) => boolean, timeoutMs = 10_000) =>
    Promise.race([
      sts.waitForRequest(predicate, timeoutMs),
      sdkChild.exited.then((code) => {
        throw new Error(`sdk-child exited (${code}):\n${sdkChild.lines.join('\n')}\n${stderr}`);
      }),
    ]);
  return { ...sdkChild, request };
}

const okBy =
  (key: FakeStsKey, since = 0) =>
  (r: FakeStsRequest) =>
    r.accessKeyId === key.accessKeyId && r.status === 200 && r.at >= since;

describe('a real SDK child reading from the endpoint', () => {
  it('uses the endpoint over keys in its shell and ~/.aws, and follows a rotation without restart', async () => {
    const fileDecoy = sts.issueKey();
    const shellDecoy = sts.issueKey();
    const key1 = sts.issueKey();
    const key2 = sts.issueKey();
    const endpoint = await startTestEndpoint({ leaseMs: LEASE_MS, credentials: credentialsOf(key1) });
    const child = await startSdkChild(endpoint, await isolatedHome(fileDecoy), shellDecoy);

    await child.request(okBy(key1));
    const rotatedAt = Date.now();
    endpoint.serve(credentialsOf(key2));
    const first = await child.request(okBy(key2, rotatedAt));
    // After the first call signed with key 2, key 1 is never used again.
    await child.request((r) => okBy(key2, first.at + 1)(r) && sts.requestsBy(key2.accessKeyId).length >= 4);
    expect(sts.requestsBy(key1.accessKeyId).filter((r) => r.at > first.at)).toEqual([]);

    expect(sts.requestsBy(fileDecoy.accessKeyId)).toEqual([]);
    expect(sts.requestsBy(shellDecoy.accessKeyId)).toEqual([]);
    expect(child.process.exitCode).toBeNull();
    expect(child.lines.filter((line) => line.startsWith('READY'))).toHaveLength(1);
    expect(child.lines).toContain(`CALL ok account=${key2.account} key=${masked(key2.accessKeyId)}`);
    expect(child.lines.join('\n')).not.toContain(key2.secretAccessKey);
    if (process.env.DELIVERY_TIMINGS)
      console.info(`rotation → first call with new key: ${first.at - rotatedAt} ms`);
  });

  it('replaces a key STS revoked while its expiration was an hour away, without restart', async () => {
    const key1 = sts.issueKey({ ttlMs: 3_600_000 });
    const key2 = sts.issueKey();
    const endpoint = await startTestEndpoint({ leaseMs: LEASE_MS, credentials: credentialsOf(key1) });
    const child = await startSdkChild(endpoint, await isolatedHome(sts.issueKey()), sts.issueKey());
    const pid = child.process.pid;

    await child.request(okBy(key1));
    sts.revokeKey(key1.accessKeyId);
    const rejected = await child.request((r) => r.accessKeyId === key1.accessKeyId && r.status === 403);
    expect(rejected.errorCode).toBe('InvalidClientTokenId');

    const servedAt = Date.now();
    endpoint.serve(credentialsOf(key2));
    const recovered = await child.request(okBy(key2, servedAt));
    expect(child.process.pid).toBe(pid);
    expect(child.process.exitCode).toBeNull();
    expect(child.lines).toContain(`CALL error name=InvalidClientTokenId key=${masked(key1.accessKeyId)}`);
    if (process.env.DELIVERY_TIMINGS) {
      console.info(`revoked key replaced → first good call: ${recovered.at - servedAt} ms`);
    }
  });

  it('follows 20 rotations with zero restarts, every key seen at STS', async () => {
    const first = sts.issueKey();
    const endpoint = await startTestEndpoint({ leaseMs: LEASE_MS, credentials: credentialsOf(first) });
    const child = await startSdkChild(endpoint, await isolatedHome(sts.issueKey()), sts.issueKey());
    const pid = child.process.pid;
    await child.request(okBy(first));

    const latencies: number[] = [];
    const keys: FakeStsKey[] = [];
    for (let i = 0; i < 20; i++) {
      const key = sts.issueKey();
      keys.push(key);
      const servedAt = Date.now();
      endpoint.serve(credentialsOf(key));
      const seen = await child.request(okBy(key, servedAt));
      latencies.push(seen.at - servedAt);
    }

    for (const key of keys) expect(sts.requestsBy(key.accessKeyId).length).toBeGreaterThan(0);
    expect(child.process.pid).toBe(pid);
    expect(child.process.exitCode).toBeNull();
    expect(child.lines.filter((line) => line.startsWith('READY'))).toEqual([`READY pid=${pid}`]);
    expect(child.lines.filter((line) => line.startsWith('CALL error'))).toEqual([]);
    if (process.env.DELIVERY_TIMINGS) {
      const sorted = [...latencies].sort((a, b) => a - b);
      console.info(
        `20 rotations (lease ${LEASE_MS} ms, call every ${INTERVAL_MS} ms): ` +
          `min ${sorted[0]} / median ${sorted[10]} / max ${sorted[19]} ms; ` +
          `${endpoint.requestCount} endpoint requests`,
      );
    }
  });
});
