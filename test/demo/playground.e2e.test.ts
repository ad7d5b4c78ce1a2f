/**
 * `cred-supervisor playground` through the built CLI, as a person uses it without a terminal: start it,
 * take the environment and credentials file from what it prints, run `check` in another project
 * directory, then expire, refresh and revoke through the control file and check again each time.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { assertBuilt, CLI } from '../support/built-cli.js';
import { waitForValue } from '../support/wait-until.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The suite's poll helper, with what is awaited first (reads better at these call sites). */
const until = <T>(what: string, probe: () => T | undefined) => waitForValue(probe, what);

describe('cred-supervisor playground (built CLI)', () => {
  it('serves check in another project; expire, fresh and revoke through the control file', async () => {
    assertBuilt();
    const project = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-pg-project-'));
    const home = path.join(project, 'home');
    cleanups.push(() => rm(project, { recursive: true, force: true }));
    const baseEnv = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: path.join(project, 'no-such-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(project, 'no-such-credentials'),
    };
    const playground = execa(process.execPath, [CLI, 'playground', '--ttl', '30m'], {
      cwd: project,
      env: baseEnv,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    cleanups.push(async () => {
      playground.kill('SIGKILL');
      await playground;
    });
    let out = '';
    playground.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });

    await until('the playground to list its controls', () =>
      /\[playground\] wrote /.test(out) ? true : undefined,
    );
    const endpoint = /export AWS_ENDPOINT_URL_STS=(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(endpoint, out).toBeDefined();
    expect(out).toContain(`export AWS_ENDPOINT_URL=${endpoint}`);
    const credentialsFile = /check --credentials-file (\S+)/.exec(out)?.[1] as string;
    const controlFile = /echo fresh\|expire\|revoke\|quit > (\S+)/.exec(out)?.[1] as string;
    expect(credentialsFile).toMatch(/credentials$/);
    expect(controlFile).toMatch(/control$/);
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(credentialsFile))).mode & 0o777).toBe(0o700);
    expect(out).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);

    const check = () =>
      execa(process.execPath, [CLI, 'check', '--credentials-file', credentialsFile], {
        cwd: project,
        env: { ...baseEnv, AWS_ENDPOINT_URL_STS: endpoint, AWS_ENDPOINT_URL: endpoint },
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
      });
    const control = async (word: string, answer: RegExp) => {
      const seen = out.length;
      await writeFile(controlFile, `${word}\n`);
      await until(`the playground to ${word}`, () => (answer.test(out.slice(seen)) ? true : undefined));
    };

    const first = await check();
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Account +123456789012/);

    await control('expire', /has expired: STS now answers ExpiredToken/);
    const expired = await check();
    expect(expired.exitCode, expired.stdout + expired.stderr).toBe(3);
    expect(expired.stdout + expired.stderr).toMatch(/expired \(ExpiredToken/);

    await control('fresh', /fresh credentials written/);
    const fresh = await check();
    expect(fresh.exitCode, fresh.stdout + fresh.stderr).toBe(0);

    await control('revoke', /is revoked: STS now answers InvalidClientTokenId/);
    const revoked = await check();
    expect(revoked.exitCode).toBe(3);
    expect(revoked.stdout + revoked.stderr).toMatch(/InvalidClientTokenId/);

    await control('quit', /stopped;/);
    const ended = await playground;
    expect(ended.exitCode).toBe(0);
    expect(existsSync(path.dirname(credentialsFile))).toBe(false);
  }, 60_000);

  it('SIGINT stops it with 130 and removes its directory', async () => {
    assertBuilt();
    const playground = execa(process.execPath, [CLI, 'playground'], { reject: false, stdin: 'ignore' });
    let out = '';
    playground.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    await until('the playground to start', () =>
      /\[playground\] wrote (\S+)/.exec(out)?.[1] ? true : undefined,
    );
    const file = /\[playground\] wrote (\S+)/.exec(out)?.[1] as string;
    playground.kill('SIGINT');
    const ended = await playground;
    expect(ended.exitCode).toBe(130);
    expect(existsSync(file)).toBe(false);
  }, 30_000);
});
