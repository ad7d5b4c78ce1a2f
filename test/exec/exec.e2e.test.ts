// `cred-supervisor exec` through the built CLI (`npm run build` first): real processes, the fake STS
// on loopback, real credentials files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CliRun } from '../support/built-cli.js';
import type { FakeSts, FakeStsKey } from '../support/fake-sts.js';
import { envLines, type Sandbox, useSandbox } from '../support/sandbox.js';
import { startExec } from './exec-cli.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));
const SDK_CHILD = fileURLToPath(new URL('../fixtures/sdk-child.mjs', import.meta.url));
const CREDENTIAL_PROCESS = fileURLToPath(new URL('../fixtures/credential-process.mjs', import.meta.url));

let sts: FakeSts;
let sandbox: Sandbox;
useSandbox((context) => {
  ({ sts, sandbox } = context);
});

function expectNoSecret(output: string): void {
  for (const key of sts.keys.values()) {
    expect(output).not.toContain(key.secretAccessKey);
    if (key.sessionToken) expect(output).not.toContain(key.sessionToken);
  }
}

async function exec(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = await sandbox.run(['exec', ...args], extraEnv);
  expectNoSecret(run.stdout + run.stderr);
  return run;
}

/** A node one-liner as the command (node is found in PATH like any command). */
function node(script: string): string[] {
  return ['--', 'node', '-e', script];
}

describe('exec: the command’s exit code is passed through', () => {
  beforeEach(async () => {
    await sandbox.writeCredentials(envLines(sts.issueKey({ account: '210987654321' })));
  });

  it('0, with one status line (account, time left) before the command’s output', async () => {
    const run = await exec(node('console.log("hello from the command")'));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('hello from the command');
    expect(run.stderr).toMatch(/^\[cred-supervisor\] running · account 210987654321 · (59m \d+s|1h) left$/);
  });

  it('3 from the command itself (the command ran: it is not a credentials failure)', async () => {
    const run = await exec(node('console.log("ran"); process.exit(3)'));
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe('ran');
  });

  it('128 + N when signal N ended the command', async () => {
    const run = await exec(node('process.kill(process.pid, "SIGKILL")'));
    expect(run.exitCode).toBe(137);
  });

  it('127 when the command does not exist', async () => {
    const run = await exec(['--', 'no-such-command-anywhere']);
    expect(run.exitCode).toBe(127);
    expect(run.stderr).toMatch(/Cannot find the command `no-such-command-anywhere`/);
  });

  it('SIGTERM is passed on: the command exits with its own code for it', async () => {
    const live = startExec(sandbox, ['--', 'node', FAKE_CDK], { FAKE_CDK_READY_MARKER: 'READY' });
    await live.waitFor((_out, err) => err.includes('READY'));
    live.process.kill('SIGTERM');
    expect(await live.exited).toBe(143);
    expect(live.stderr).toContain('FAKE_CDK_SIGNAL=SIGTERM');
  });

  it('SIGINT from a script (not the terminal) is passed on', async () => {
    const live = startExec(sandbox, ['--', 'node', FAKE_CDK], { FAKE_CDK_READY_MARKER: 'READY' });
    await live.waitFor((_out, err) => err.includes('READY'));
    live.process.kill('SIGINT');
    expect(await live.exited).toBe(130);
    expect(live.stderr.match(/FAKE_CDK_SIGNAL=SIGINT/g)).toHaveLength(1);
  });

  it('a command that ignores SIGTERM gets SIGKILL after --stop-grace', async () => {
    const live = startExec(sandbox, ['--stop-grace', '300ms', '--', 'node', FAKE_CDK], {
      FAKE_CDK_READY_MARKER: 'READY',
      FAKE_CDK_IGNORE_SIGNALS: 'SIGTERM',
    });
    await live.waitFor((_out, err) => err.includes('READY'));
    live.process.kill('SIGTERM');
    expect(await live.exited).toBe(137);
    expect(live.stderr).toContain('FAKE_CDK_SIGNAL=SIGTERM ignored');
    expect(live.stderr).toMatch(/still running 300ms after the stop signal: sent SIGKILL/);
  });

  it('stdin is the command’s (prompts such as cdk deploy’s approval can be answered)', async () => {
    // `cat`, not node: a program that would fail if stdin had been made non-blocking on its way.
    const live = startExec(sandbox, ['--', 'cat']);
    await live.waitFor((_out, err) => err.includes('[cred-supervisor] running'));
    live.process.stdin.end('y\n');
    expect(await live.exited).toBe(0);
    expect(live.stdout).toBe('y\n');
  });
});

describe('exec: verification failures map to 3/4/1 and the command never runs', () => {
  const marker = () => path.join(sandbox.dir, 'command-ran');
  const markerCommand = () => node(`require("fs").writeFileSync(${JSON.stringify(marker())}, "")`);

  it('3: expired at STS, with the checklist and the ways to provide credentials', async () => {
    const key = sts.issueKey();
    sts.expireKey(key.accessKeyId);
    await sandbox.writeCredentials(envLines(key));
    const run = await exec(markerCommand());
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/STS says these credentials have expired/);
    expect(run.stderr).toContain(sandbox.credentialsFile);
    expect(run.stderr).toMatch(/cred-supervisor: `node -e .*` was not run\.$/);
    expect(existsSync(marker())).toBe(false);
  });

  it('3: no credentials anywhere', async () => {
    const run = await exec(markerCommand());
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/No credentials found/);
    expect(existsSync(marker())).toBe(false);
  });

  it('4: another account than --expect-account', async () => {
    await sandbox.writeCredentials(envLines(sts.issueKey({ account: '111122223333' })));
    const run = await exec(['--expect-account', '444455556666', ...markerCommand()]);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('444455556666');
    expect(existsSync(marker())).toBe(false);
  });

  it('1: STS unreachable is not reported as expired', async () => {
    await sandbox.writeCredentials(envLines(sts.issueKey()));
    await sts.goDown();
    const run = await exec(markerCommand());
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/STS could not be reached/);
    expect(run.stderr).not.toMatch(/expired/i);
    expect(existsSync(marker())).toBe(false);
  });

  it('2: --delivery profile without a profile', async () => {
    await sandbox.writeCredentials(envLines(sts.issueKey()));
    const run = await exec(['--delivery', 'profile', ...markerCommand()]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/Expected `--profile NAME` with `--delivery profile`/);
    expect(existsSync(marker())).toBe(false);
  });
});

describe('exec: delivery', () => {
  const printEnv = 'AWS_ACCESS_KEY_ID,AWS_PROFILE,AWS_CONTAINER_CREDENTIALS_FULL_URI,AWS_REGION';

  it('endpoint (default): the command’s environment holds the endpoint, not the shell’s keys', async () => {
    const key = sts.issueKey();
    const shellKey = sts.issueKey();
    await sandbox.writeCredentials([...envLines(key), 'AWS_REGION=eu-west-1']);
    const run = await exec(['--', 'node', FAKE_CDK], {
      FAKE_CDK_PRINT_ENV: printEnv,
      FAKE_CDK_EXIT_CODE: '0',
      AWS_ACCESS_KEY_ID: shellKey.accessKeyId,
      AWS_SECRET_ACCESS_KEY: shellKey.secretAccessKey,
      AWS_PROFILE: 'shell-profile',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('AWS_ACCESS_KEY_ID is unset');
    expect(run.stderr).toContain('AWS_PROFILE is unset');
    expect(run.stderr).toMatch(
      /AWS_CONTAINER_CREDENTIALS_FULL_URI=http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\n/,
    );
    expect(run.stderr).toContain('AWS_REGION=eu-west-1');
    // The run's private directory (token file, neutral config) is gone afterwards.
    const leftovers = readdirSync(path.dirname(sandbox.credentialsFile));
    expect(leftovers.filter((name) => name.startsWith('exec-'))).toEqual([]);
  });

  it('env: the keys in the environment, and a warning when less than --refresh-before is left', async () => {
    const key = sts.issueKey({ ttlMs: 4 * 60_000 });
    await sandbox.writeCredentials(envLines(key));
    const run = await exec(['--delivery', 'env', '--', 'node', FAKE_CDK], {
      FAKE_CDK_PRINT_ENV: printEnv,
      FAKE_CDK_EXIT_CODE: '0',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`AWS_ACCESS_KEY_ID=${key.accessKeyId}`);
    expect(run.stderr).toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI is unset');
    expect(run.stderr).toMatch(
      /expire at \d\d:\d\d \(in (3m \d+s|4m)\), sooner than --refresh-before \(10m\)/,
    );
    expect(run.stderr).toContain('--delivery env cannot refresh a running command');
    expect(run.stderr).toContain(`--format env > ${sandbox.credentialsFile}`);
  });

  it('the project’s config file applies, and a flag wins over it', async () => {
    const key = sts.issueKey();
    await sandbox.writeCredentials(envLines(key));
    await writeFile(path.join(sandbox.dir, 'cred-supervisor.config.json'), '{ "delivery": "env" }\n');
    const env = { FAKE_CDK_PRINT_ENV: 'AWS_ACCESS_KEY_ID', FAKE_CDK_EXIT_CODE: '0' };
    const fromConfig = await exec(['--', 'node', FAKE_CDK], env);
    expect(fromConfig.stderr).toContain(`AWS_ACCESS_KEY_ID=${key.accessKeyId}`);
    const fromFlag = await exec(['--delivery', 'endpoint', '--', 'node', FAKE_CDK], env);
    expect(fromFlag.stderr).toContain('AWS_ACCESS_KEY_ID is unset');
  });

  it('env: no warning when enough time is left', async () => {
    await sandbox.writeCredentials(envLines(sts.issueKey({ ttlMs: 60 * 60_000 })));
    const run = await exec(['--delivery', 'env', ...node('')]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toContain('⚠');
  });
});

describe('exec: --delivery profile', () => {
  it('verifies the profile itself (not the file) and hands the command AWS_PROFILE', async () => {
    const expired = sts.issueKey();
    sts.expireKey(expired.accessKeyId);
    await sandbox.writeCredentials(envLines(expired));
    const key = sts.issueKey({ prefix: 'AKIA', account: '555566667777' });
    const sharedCredentials = path.join(sandbox.dir, 'aws-credentials');
    await writeFile(
      sharedCredentials,
      `[dev]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
      { mode: 0o600 },
    );
    const run = await exec(['--delivery', 'profile', '--profile', 'dev', '--', 'node', FAKE_CDK], {
      AWS_SHARED_CREDENTIALS_FILE: sharedCredentials,
      FAKE_CDK_PRINT_ENV: 'AWS_PROFILE,AWS_ACCESS_KEY_ID,AWS_SHARED_CREDENTIALS_FILE',
      FAKE_CDK_EXIT_CODE: '0',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/running · account 555566667777 · no expiry/);
    expect(run.stderr).toContain('AWS_PROFILE=dev');
    expect(run.stderr).toContain('AWS_ACCESS_KEY_ID is unset');
    expect(run.stderr).toContain(`AWS_SHARED_CREDENTIALS_FILE=${sharedCredentials}`);
    expect(sts.requestsBy(expired.accessKeyId)).toEqual([]);
  });
});

describe('exec: a real SDK child through the endpoint', () => {
  function masked(key: FakeStsKey): string {
    return `key=${key.accessKeyId.slice(0, 4)}…${key.accessKeyId.slice(-4)}`;
  }

  it('sees key 1, then key 2 once the file is rewritten in the refresh window, without a restart', async () => {
    // Key 1 lives 3 minutes: inside --refresh-before (10m) from the start, and close enough to expiry
    // that the SDK asks the endpoint again on every call.
    const key1 = sts.issueKey({ ttlMs: 3 * 60_000 });
    const key2 = sts.issueKey({ ttlMs: 60 * 60_000 });
    await sandbox.writeCredentials(envLines(key1));
    const notified = path.join(sandbox.dir, 'notified.txt');
    const live = startExec(
      sandbox,
      ['--notify-command', `printf %s "$CRED_SUPERVISOR_MESSAGE" > ${notified}`, '--', 'node', SDK_CHILD],
      { SDK_CHILD_INTERVAL_MS: '100' },
    );

    await live.waitFor((out) => out.includes(`CALL ok account=${key1.account} ${masked(key1)}`));
    const stateDir = path.dirname(sandbox.credentialsFile);
    const [workspace] = readdirSync(stateDir).filter((name) => name.startsWith('exec-'));
    const endpointToken = await readFile(
      path.join(stateDir, workspace ?? 'missing', 'endpoint.token'),
      'utf8',
    );
    expect(endpointToken).toMatch(/^[0-9a-f]{64}$/);
    // Nothing fresher yet: one warning, pointing at the file.
    await live.waitFor((_out, err) => err.includes('no fresher ones could be had'));
    expect(live.stderr).toContain(`${sandbox.credentialsFile} still holds the credentials in use`);
    expect(live.stderr).toContain(`--format env > ${sandbox.credentialsFile}`);
    await expect
      .poll(() => existsSync(notified) && readFileSync(notified, 'utf8'))
      // The command is shortened to fit a notification: under a deep checkout its path ends in `…`.
      .toMatch(
        /^cred-supervisor: credentials for `node [^`]*(sdk-child\.mjs|…)` expire at \d\d:\d\d; write fresh ones/,
      );

    await sandbox.writeCredentials(envLines(key2));
    await live.waitFor((out) => out.includes(masked(key2)));
    await live.waitFor((_out, err) => err.includes('served without a restart'));
    // Once key 2 signed a call, key 1 is not used again.
    const calls = live.stdout.split('\n').filter((line) => line.startsWith('CALL'));
    const firstWithKey2 = calls.findIndex((line) => line.includes(masked(key2)));
    expect(calls.slice(firstWithKey2).filter((line) => line.includes(masked(key1)))).toEqual([]);
    expect(calls.every((line) => line.startsWith('CALL ok'))).toBe(true);

    live.process.kill('SIGTERM');
    expect(await live.exited).toBe(0); // sdk-child exits 0 on SIGTERM
    expect(live.stdout.match(/^READY/gm)).toHaveLength(1);
    expect(live.stderr.match(/no fresher ones could be had/g)).toHaveLength(1);
    const log = await readFile(path.join(stateDir, 'supervisor.log'), 'utf8');
    expect(log).toMatch(/"event":"refreshed"/);
    for (const output of [live.stdout, live.stderr, log]) {
      expectNoSecret(output);
      expect(output).not.toContain(endpointToken);
    }
    if (process.env.SHOW_EXEC_OUTPUT) console.info(live.stderr);
  });

  it('refreshes from the profile cdk.json names (the same sources as the first resolution)', async () => {
    // The profile's credential_process prints what this file holds: key 1 first, key 2 once rewritten.
    const helperOutput = path.join(sandbox.dir, 'helper-credentials.json');
    const processJson = (key: FakeStsKey) =>
      JSON.stringify({
        Version: 1,
        AccessKeyId: key.accessKeyId,
        SecretAccessKey: key.secretAccessKey,
        SessionToken: key.sessionToken,
        Expiration: key.expiration?.toISOString(),
      });
    const key1 = sts.issueKey({ ttlMs: 3 * 60_000 });
    const key2 = sts.issueKey({ ttlMs: 60 * 60_000 });
    await writeFile(helperOutput, processJson(key1), { mode: 0o600 });
    const config = path.join(sandbox.dir, 'aws-config');
    await writeFile(
      config,
      `[profile dev]\ncredential_process = ${process.execPath} ${CREDENTIAL_PROCESS} ${helperOutput}\n`,
    );
    await writeFile(path.join(sandbox.dir, 'cdk.json'), JSON.stringify({ app: 'x', profile: 'dev' }));

    const live = startExec(sandbox, ['--', 'node', SDK_CHILD], {
      AWS_CONFIG_FILE: config,
      SDK_CHILD_INTERVAL_MS: '100',
    });
    await live.waitFor((out) => out.includes(`CALL ok account=${key1.account} ${masked(key1)}`));
    await writeFile(helperOutput, processJson(key2), { mode: 0o600 });
    await live.waitFor((out, err) => out.includes(masked(key2)) && err.includes('served without a restart'));
    expect(live.stderr).toMatch(/fresh credentials from profile dev/);

    live.process.kill('SIGTERM');
    expect(await live.exited).toBe(0);
    expect(live.stdout.match(/^READY/gm)).toHaveLength(1);
  });
});
