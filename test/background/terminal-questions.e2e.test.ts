/**
 * A question asked on the terminal (the MFA code of an assume-role profile) hands the terminal back as
 * it was: the single keys work after it, and a key pressed after a wrong answer is a command, not the
 * next answer. Real tmux, the built CLI, the real SDK against the fake STS.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, createSandbox, type Sandbox } from '../cli/built-cli.js';
import { FakeSts } from '../support/fake-sts.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));
const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/dev';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/deploy';
const QUESTION = `MFA code for ${MFA_SERIAL} (profile deploy): `;

let sts: FakeSts;
let sandbox: Sandbox;
let socket: string;

function tmux(args: string[]) {
  return execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
    env: sandbox.env,
    extendEnv: false,
    reject: false,
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${await screen()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const screen = async () => (await tmux(['capture-pane', '-p', '-J', '-t', 'dev', '-S', '-200'])).stdout;
const count = (text: string, part: string) => text.split(part).length - 1;

beforeEach(async () => {
  assertBuilt();
  sts = await FakeSts.start({ mfaCode: '246810' });
  sandbox = await createSandbox(sts.url);
  socket = `cs-${randomUUID().slice(0, 8)}`;
  const base = sts.issueKey({ prefix: 'AKIA' });
  await writeFile(
    sandbox.env.AWS_SHARED_CREDENTIALS_FILE as string,
    `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  await writeFile(
    sandbox.env.AWS_CONFIG_FILE as string,
    `[profile deploy]\nrole_arn = ${ROLE_ARN}\nsource_profile = base\nmfa_serial = ${MFA_SERIAL}\nregion = eu-west-1\n`,
  );
});

afterEach(async () => {
  await tmux(['kill-server']);
  await sts.close();
  await sandbox.cleanup();
});

/** `watch --profile deploy` in a tmux pane; the exit code lands in a file when it ends. */
async function startWatch(): Promise<string> {
  const exitFile = path.join(sandbox.dir, 'exit-code');
  const watch = [
    process.execPath,
    CLI,
    'watch',
    '--profile',
    'deploy',
    '--delivery',
    'env',
    '--',
    FAKE_CDK,
    'watch',
  ]
    .map((a) => `'${a}'`)
    .join(' ');
  const started = await tmux([
    'new-session',
    '-d',
    '-s',
    'dev',
    '-x',
    '120',
    '-y',
    '40',
    '-c',
    sandbox.dir,
    `${watch}; echo $? > '${exitFile}'; sleep 30`,
  ]);
  expect(started.exitCode, started.stderr).toBe(0);
  return exitFile;
}

const exitCodeIn = (file: string) =>
  until('the supervisor to exit', () =>
    readFile(file, 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    ),
  );

describe('questions on the terminal hand it back as it was', () => {
  it('after the MFA code is answered, q quits', async () => {
    const exitFile = await startWatch();
    await until('the MFA question', async () => ((await screen()).includes(QUESTION) ? true : undefined));
    await tmux(['send-keys', '-t', 'dev', '246810', 'Enter']);
    await until('running', async () => (/\] running/.test(await screen()) ? true : undefined));
    await tmux(['send-keys', '-t', 'dev', 'q']);
    const code = await exitCodeIn(exitFile);
    expect(code).toBe('0');
    // `q` went to the key handler, not echoed into a line-mode terminal.
    expect(await screen()).not.toMatch(/^q$/m);
  }, 60_000);

  it('after a wrong code, r asks again with an empty answer; the right code then runs', async () => {
    const exitFile = await startWatch();
    await until('the MFA question', async () => ((await screen()).includes(QUESTION) ? true : undefined));
    await tmux(['send-keys', '-t', 'dev', '111111', 'Enter']);
    await until('the wrong code to be refused', async () =>
      /waiting-for-credentials|MultiFactorAuthentication failed/.test(await screen()) ? true : undefined,
    );
    expect(count(await screen(), QUESTION)).toBe(1);

    await tmux(['send-keys', '-t', 'dev', 'r']);
    await until('the second MFA question', async () =>
      count(await screen(), QUESTION) === 2 ? true : undefined,
    );
    // The `r` was a command: the new question's line holds nothing typed yet.
    const lastQuestion = (await screen())
      .split('\n')
      .filter((line) => line.includes(QUESTION))
      .at(-1);
    expect(lastQuestion?.trimEnd()).toBe(QUESTION.trimEnd());

    await tmux(['send-keys', '-t', 'dev', '246810', 'Enter']);
    await until('running', async () => (/\] running/.test(await screen()) ? true : undefined));
    await tmux(['send-keys', '-t', 'dev', 'q']);
    expect(await exitCodeIn(exitFile)).toBe('0');
  }, 60_000);
});
