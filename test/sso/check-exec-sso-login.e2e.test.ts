/**
 * `--sso-login` on `check` and `exec` (built CLI, local IAM Identity Center, the `aws` on PATH is v1 so
 * the built-in device login runs): auto logs in first, never only says what to run, and the config
 * file's `ssoLogin` is the same setting.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../credentials/support/temp-dir.js';
import { assertBuilt, CLI } from '../support/built-cli.js';
import { SSO_ACCOUNT, ssoWorld, writeLogin } from '../support/sso-world.js';

async function endedSession(options: Parameters<typeof ssoWorld>[0] = {}) {
  const world = await ssoWorld(options);
  await writeLogin(world, -60_000);
  world.sso.endSession();
  const dir = await tempDir('cred-supervisor-sso-check-');
  const env = { ...world.env, XDG_RUNTIME_DIR: path.join(dir, 'run') };
  return { world, dir, env };
}

function cli(args: string[], dir: string, env: NodeJS.ProcessEnv) {
  return execa(process.execPath, [CLI, ...args], {
    cwd: dir,
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  });
}

describe('--sso-login on check and exec', () => {
  beforeAll(() => assertBuilt());

  it('check, auto (the default): one login first, then the check passes', async () => {
    const { world, dir, env } = await endedSession({ autoApproveAfterPolls: 1 });
    const run = await cli(['check', '--profile', 'sso-dev'], dir, env);
    expect(run.stderr).toMatch(/has ended: logging in/);
    expect(run.stderr).toMatch(/enter the code [0-9A-F]{4}-[0-9A-F]{4}/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(SSO_ACCOUNT);
    expect(world.sso.count('StartDeviceAuthorization')).toBe(1);
  });

  it('check, never: no login, the fix names cred-supervisor login (this machine has no AWS CLI v2)', async () => {
    const { world, dir, env } = await endedSession();
    const run = await cli(['check', '--profile', 'sso-dev', '--sso-login', 'never'], dir, env);
    expect(run.exitCode).not.toBe(0);
    expect(`${run.stdout}\n${run.stderr}`).toContain('npx cred-supervisor login --profile sso-dev');
    expect(`${run.stdout}\n${run.stderr}`).not.toContain('aws sso login --profile');
    expect(world.sso.count('RegisterClient')).toBe(0);
  });

  it('exec with ssoLogin "never" in the config file: no login, the command does not run', async () => {
    const { world, dir, env } = await endedSession();
    await writeFile(path.join(dir, 'cred-supervisor.config.json'), JSON.stringify({ ssoLogin: 'never' }));
    const run = await cli(
      ['exec', '--profile', 'sso-dev', '--', process.execPath, '-e', 'console.log("RAN")'],
      dir,
      env,
    );
    expect(run.stdout).not.toContain('RAN');
    expect(run.stderr).toContain('npx cred-supervisor login --profile sso-dev');
    expect(world.sso.count('RegisterClient')).toBe(0);
  });

  it('a bad ssoLogin value is named with the allowed ones', async () => {
    const { dir, env } = await endedSession();
    const run = await cli(['check', '--profile', 'sso-dev', '--sso-login', 'sometimes'], dir, env);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/auto, prompt, never/);
  });
});
