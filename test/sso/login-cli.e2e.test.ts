/**
 * `cred-supervisor login` from the built CLI, several real processes at once: one login for the
 * machine, the others wait for it and use its token.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromIni } from '@aws-sdk/credential-providers';
import { execa } from 'execa';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ssoCacheText } from '../../src/sso/sso-cache.js';
import { tempDir } from '../credentials/support/temp-dir.js';
import { assertBuilt, CLI } from '../support/built-cli.js';
import { SSO_ACCOUNT, type SsoWorld, START_URL, ssoWorld, writeLogin } from '../support/sso-world.js';

const FAKE_AWS_V2 = fileURLToPath(new URL('../fixtures/fake-aws-v2', import.meta.url));

interface LiveLogin {
  readonly stderr: string;
  exited: Promise<number>;
}

function startLogin(env: NodeJS.ProcessEnv, cwd: string, onOutput: () => void): LiveLogin {
  const child = execa(process.execPath, [CLI, 'login', '--profile', 'sso-dev'], {
    cwd,
    env,
    extendEnv: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    onOutput();
  });
  child.stdout.resume();
  const exited = child.then((result) => result.exitCode ?? -1);
  onTestFinished(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  return {
    get stderr() {
      return stderr;
    },
    exited,
  };
}

/** Resolves once `condition()` holds, re-checked on every output and every 100 ms. */
function until(condition: () => boolean, describeState: () => string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (condition()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out: ${describeState()}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

async function loginWorld(world: SsoWorld, extra: NodeJS.ProcessEnv = {}) {
  const dir = await tempDir('cred-supervisor-login-');
  const env: NodeJS.ProcessEnv = {
    ...world.env,
    XDG_RUNTIME_DIR: path.join(dir, 'run'),
    FAKE_AWS_LOG: path.join(dir, 'aws-calls.log'),
    FAKE_AWS_RELEASE: path.join(dir, 'aws-answer.json'),
    ...extra,
  };
  const calls = async () =>
    existsSync(env.FAKE_AWS_LOG!)
      ? (await readFile(env.FAKE_AWS_LOG!, 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line))
      : [];
  const answer = async (value: object) => {
    const temp = `${env.FAKE_AWS_RELEASE}.tmp`;
    await writeFile(temp, JSON.stringify(value));
    await rename(temp, env.FAKE_AWS_RELEASE!);
  };
  return { dir, env, calls, answer };
}

describe('cred-supervisor login', () => {
  beforeAll(() => assertBuilt());

  it('three processes asking at once: exactly one `aws sso login`, all three end with its token', async () => {
    const world = await ssoWorld();
    const { dir, env, calls, answer } = await loginWorld(world, {
      PATH: `${FAKE_AWS_V2}${path.delimiter}${world.env.PATH}`,
    });
    let callCount = 0;
    const refreshCalls = () =>
      void calls().then((c) => {
        callCount = c.length;
      });
    const logins = [1, 2, 3].map(() => startLogin(env, dir, refreshCalls));
    const waiting = () => logins.filter((l) => l.stderr.includes('is already logging in')).length;
    await until(
      () => {
        refreshCalls();
        return callCount === 1 && waiting() === 2;
      },
      () => `${callCount} aws calls, ${waiting()} waiting; ${logins.map((l) => l.stderr).join(' | ')}`,
    );

    const tokens = world.sso.issueTokens();
    await answer({
      startUrl: START_URL,
      cacheText: ssoCacheText({
        startUrl: START_URL,
        region: 'us-east-1',
        ...tokens,
        expiresAt: new Date(Date.now() + 8 * 3_600_000),
        registrationExpiresAt: new Date(Date.now() + 90 * 86_400_000),
      }),
    });
    const codes = await Promise.all(logins.map((l) => l.exited));
    expect(codes).toEqual([0, 0, 0]);
    const made = await calls();
    expect(made).toHaveLength(1);
    expect(made[0].args).toEqual(['sso', 'login', '--sso-session', 'corp']);
    const outputs = logins.map((l) => l.stderr);
    expect(outputs.filter((o) => o.includes(`logged in by another process (pid `))).toHaveLength(2);
    expect(outputs.filter((o) => o.includes('Running: aws sso login --sso-session corp'))).toHaveLength(1);
    for (const output of outputs) {
      for (const secret of Object.values(tokens)) expect(output).not.toContain(secret);
    }
    // The real SDK, unchanged, uses the new login.
    const credentials = await fromIni({ profile: 'sso-dev', ignoreCache: true })();
    expect(world.sts.keys.get(credentials.accessKeyId)?.account).toBe(SSO_ACCOUNT);
  });

  it('a login cancelled in the browser: its process says so, the waiting one too, nobody starts another', async () => {
    const world = await ssoWorld();
    const { dir, env, calls, answer } = await loginWorld(world, {
      PATH: `${FAKE_AWS_V2}${path.delimiter}${world.env.PATH}`,
    });
    let callCount = 0;
    const logins = [1, 2].map(() => startLogin(env, dir, () => {}));
    await until(
      () => {
        void calls().then((c) => {
          callCount = c.length;
        });
        return callCount === 1 && logins.some((l) => l.stderr.includes('is already logging in'));
      },
      () => logins.map((l) => l.stderr).join(' | '),
    );
    await answer({ cancel: true });
    expect(await Promise.all(logins.map((l) => l.exited))).toEqual([3, 3]);
    const outputs = logins.map((l) => l.stderr).join('\n');
    expect(outputs).toContain(
      '`aws sso login --sso-session corp` ended with exit code 130 (its output is above).',
    );
    expect(outputs).toContain(
      'ended without a new token (cancelled or failed). Run `cred-supervisor login` to log in.',
    );
    expect(await calls()).toHaveLength(1);
  });

  it('without the AWS CLI v2 (a v1 first on PATH), runs the device login itself, once for three processes', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 1 });
    const { dir, env } = await loginWorld(world);
    const logins = [1, 2, 3].map(() => startLogin(env, dir, () => {}));
    expect(await Promise.all(logins.map((l) => l.exited))).toEqual([0, 0, 0]);
    expect(world.sso.count('StartDeviceAuthorization')).toBe(1);
    const outputs = logins.map((l) => l.stderr);
    const runner = outputs.find((o) => o.includes('logging in to https://corp.awsapps.com/start directly'));
    expect(runner).toMatch(
      /open http:\/\/127\.0\.0\.1:\d+\/start\/#\/device and enter the code [0-9A-F]{4}-[0-9A-F]{4}/,
    );
    const credentials = await fromIni({ profile: 'sso-dev', ignoreCache: true })();
    expect(world.sts.keys.get(credentials.accessKeyId)?.state).toBe('valid');
  });

  it('names the problem and the fix for a profile whose sso_session does not exist', async () => {
    const world = await ssoWorld(
      {},
      '[profile sso-dev]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n',
    );
    const { dir, env } = await loginWorld(world);
    const login = startLogin(env, dir, () => {});
    expect(await login.exited).toBe(3);
    expect(login.stderr).toContain('Profile sso-dev names sso_session = nope, and');
    expect(login.stderr).toContain('has no [sso-session nope] section. Fix the name, or create the session');
  });
});

describe('cred-supervisor check with an SSO profile', () => {
  beforeAll(() => assertBuilt());

  it('shows the SSO session (text and --json), no token anywhere', async () => {
    const world = await ssoWorld();
    const { dir, env } = await loginWorld(world);
    const tokens = await writeLogin(world, 8 * 3_600_000);
    const run = (args: string[]) =>
      execa(process.execPath, [CLI, 'check', '--profile', 'sso-dev', ...args], {
        cwd: dir,
        env,
        extendEnv: false,
        reject: false,
      });
    const text = await run([]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/SSO\s+session corp \(https:\/\/corp\.awsapps\.com\/start, us-east-1\)/);
    expect(text.stdout).toMatch(/SSO token\s+valid for 7h/);
    const json = await run(['--json']);
    expect(JSON.parse(json.stdout).sso).toMatchObject({
      session: 'corp',
      loggedIn: true,
      refreshToken: 'not-checked',
      problem: null,
    });
    for (const secret of Object.values(tokens)) {
      expect(text.stdout + text.stderr + json.stdout + json.stderr).not.toContain(secret);
    }
  });

  it('an unknown sso_session fails the check with the fix', async () => {
    const world = await ssoWorld(
      {},
      '[profile sso-dev]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n',
    );
    const { dir, env } = await loginWorld(world);
    const run = await execa(process.execPath, [CLI, 'check', '--profile', 'sso-dev'], {
      cwd: dir,
      env,
      extendEnv: false,
      reject: false,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('has no [sso-session nope] section');
  });
});
