import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliRun } from '../support/built-cli.js';
import type { FakeSts, FakeStsKey } from '../support/fake-sts.js';
import { envLines, type Sandbox, useSandbox } from '../support/sandbox.js';

let sts: FakeSts;
let sandbox: Sandbox;
useSandbox((context) => {
  ({ sts, sandbox } = context);
});

/** Runs `check`, and asserts that no secret the fake STS ever issued appears in any output. */
async function check(args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = await sandbox.run(['check', ...args], extraEnv);
  const output = run.stdout + run.stderr;
  for (const key of sts.keys.values()) {
    expect(output).not.toContain(key.secretAccessKey);
    if (key.sessionToken) expect(output).not.toContain(key.sessionToken);
  }
  expect(run.stderr).not.toContain('NodeVersionSupportWarning');
  return run;
}

function keyEnv(key: FakeStsKey): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    ...(key.sessionToken ? { AWS_SESSION_TOKEN: key.sessionToken } : {}),
  };
}

describe('cred-supervisor check (built CLI): exit 0', () => {
  it('prints the checklist for temporary credentials from the credentials file', async () => {
    const key = sts.issueKey({ account: '210987654321', ttlMs: 50 * 60_000 });
    await sandbox.writeCredentials([...envLines(key), 'AWS_REGION=eu-central-1']);
    const run = await check();
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/Account\s+210987654321/);
    expect(run.stdout).toContain(key.arn);
    expect(run.stdout).toMatch(/Region\s+eu-central-1 \(from the credentials file\)/);
    expect(run.stdout).toMatch(/Credentials\s+temporary/);
    expect(run.stdout).toMatch(/Time left\s+(49m|50m)/);
    expect(run.stdout).toContain(`credentials file ${sandbox.credentialsFile}`);
    expect(sts.requestsBy(key.accessKeyId)).toMatchObject([{ action: 'GetCallerIdentity', status: 200 }]);
  });

  it('warns about long-term keys from the environment', async () => {
    const key = sts.issueKey({ prefix: 'AKIA' });
    const run = await check(['--region', 'us-west-2'], keyEnv(key));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/long-term access key \(AKIA…\): less secure/);
    expect(run.stdout).toMatch(/Region\s+us-west-2 \(from --region\)/);
    expect(run.stdout).toMatch(/Source\s+environment/);
  });

  it('prints one JSON object with --json', async () => {
    const key = sts.issueKey({ account: '111122223333' });
    await sandbox.writeCredentials(envLines(key));
    const run = await check(['--json', '--expect-account', '111122223333'], { AWS_REGION: 'ap-southeast-2' });
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toEqual({
      ok: true,
      status: 'ok',
      account: '111122223333',
      arn: key.arn,
      userId: key.userId,
      region: 'ap-southeast-2',
      regionFrom: 'AWS_REGION',
      credentialType: 'temporary',
      expiresAt: key.expiration?.toISOString(),
      timeLeftMs: expect.any(Number),
      source: {
        kind: 'file',
        description: `file ${sandbox.credentialsFile} (env lines)`,
        path: sandbox.credentialsFile,
        profile: null,
      },
      sourceNotes: [],
      expectAccount: '111122223333',
      warnings: [],
      problem: null,
      // Which `cdk` is found depends on PATH; either way the endpoint is how it gets credentials.
      credentialRoute: { kind: 'endpoint', why: expect.stringMatching(/CDK CLI/) },
      sso: null,
    });
    expect(json.timeLeftMs).toBeGreaterThan(50 * 60_000);
    expect(json.timeLeftMs).toBeLessThanOrEqual(60 * 60_000);
  });
});

describe('cred-supervisor check (built CLI): exit 3, credentials missing, invalid or expired', () => {
  it('expired at STS: says so and shows how to provide credentials at the exact path', async () => {
    const key = sts.issueKey();
    sts.expireKey(key.accessKeyId);
    await sandbox.writeCredentials(envLines(key));
    const run = await check();
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /✖ Credentials\s+STS says these credentials have expired \(ExpiredToken, HTTP 400\)/,
    );
    expect(run.stderr).toContain(
      `aws configure export-credentials --format env > ${sandbox.credentialsFile}`,
    );
  });

  it('past the file’s stated expiration: expired without asking STS', async () => {
    const key = sts.issueKey();
    await sandbox.writeCredentials(envLines({ ...key, expiration: new Date(Date.now() - 5 * 60_000) }));
    const run = await check(['--json']);
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      status: 'expired',
      problem: { code: 'EXPIRED', reason: 'expired', message: expect.stringMatching(/expired at .*ago/) },
    });
    expect(sts.requestsBy(key.accessKeyId)).toEqual([]);
  });

  it('revoked: invalid', async () => {
    const key = sts.issueKey();
    sts.revokeKey(key.accessKeyId);
    const run = await check(['--json'], keyEnv(key));
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      status: 'invalid',
      problem: { reason: 'invalid', code: 'InvalidClientTokenId' },
    });
  });

  it('a profile that does not exist: missing, with the fix for that alone', async () => {
    const run = await check(['--profile', 'dev']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/Profile dev is defined in neither/);
    expect(run.stderr).toContain(
      'Fix: Create it (`aws configure sso --profile dev` or `aws configure --profile dev`)',
    );
    expect(run.stderr).not.toContain('Credentials are needed');
  });

  it('none anywhere: missing, with the ways to write the file (mkdir first, AWS CLI v2 and v1)', async () => {
    const run = await check([]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).not.toContain('Fix:');
    expect(run.stderr).toContain(`mkdir -p ${path.dirname(sandbox.credentialsFile)}`);
    expect(run.stderr).toContain(
      `AWS CLI v2: (umask 077; aws configure export-credentials --format env > ${sandbox.credentialsFile})`,
    );
    expect(run.stderr).toContain(
      `AWS CLI v1: (umask 077; aws sts get-session-token --output json > ${sandbox.credentialsFile})`,
    );
  });
});

describe('cred-supervisor check (built CLI): exit 4, refused', () => {
  it('refuses root credentials', async () => {
    const key = sts.issueKey({
      prefix: 'AKIA',
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:root',
    });
    const run = await check([], keyEnv(key));
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/✖ Refused\s+These are the root user's credentials for account 123456789012/);
  });

  it('refuses another account than --expect-account, naming both', async () => {
    const key = sts.issueKey({ account: '111122223333' });
    const run = await check(['--expect-account', '444455556666', '--json'], keyEnv(key));
    expect(run.exitCode).toBe(4);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      status: 'wrong-account',
      account: '111122223333',
      expectAccount: '444455556666',
    });
    expect(json.problem.message).toContain('111122223333');
    expect(json.problem.message).toContain('444455556666');
  });
});

describe('cred-supervisor check (built CLI): exit 1, STS unreachable', () => {
  it('STS down: a network problem, not expired', async () => {
    const key = sts.issueKey();
    await sandbox.writeCredentials(envLines(key));
    await sts.goDown();
    const run = await check();
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/STS could not be reached \(ECONNREFUSED\)/);
    expect(run.stderr).not.toMatch(/expired/i);
    expect(run.stderr).not.toContain('export-credentials');
  });

  it('STS failing with 5xx: network', async () => {
    const key = sts.issueKey();
    sts.failNext(5, 503, 'ServiceUnavailable');
    const run = await check(['--json'], keyEnv(key));
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'network',
      problem: { code: 'ServiceUnavailable' },
    });
  });
});

describe('cred-supervisor check (built CLI): how the command gets credentials', () => {
  it('reports restart-based rotation for a CDK CLI before 2.172, and why', async () => {
    const oldCdk = fileURLToPath(new URL('../fixtures/old-cdk/cdk', import.meta.url));
    await writeFile(
      path.join(sandbox.dir, 'cred-supervisor.config.json'),
      JSON.stringify({ command: [oldCdk, 'watch'] }),
    );
    await sandbox.writeCredentials(envLines(sts.issueKey()));
    const text = await check();
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/Command gets\s+restart: CDK CLI 2\.150\.0 resolves credentials once/);
    const json = JSON.parse((await check(['--json'])).stdout);
    expect(json.credentialRoute).toMatchObject({ kind: 'restart', why: expect.stringContaining('2.172.0') });
  });
});
