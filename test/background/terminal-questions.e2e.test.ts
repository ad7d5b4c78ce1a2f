/**
 * A question asked on the terminal (the MFA code of an assume-role profile) hands the terminal back as
 * it was: the single keys work after it, and a key pressed after a wrong answer is a command, not the
 * next answer. Real tmux, the built CLI, the real SDK against the fake STS.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../cli/built-cli.js';
import { shellLine, until, useTmuxSandbox } from './tmux-pane.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));
const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/dev';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/deploy';
const QUESTION = `MFA code for ${MFA_SERIAL} (profile deploy): `;

const env = useTmuxSandbox({ mfaCode: '246810' });

const screen = () => env.server.screen({ history: true });
const count = (text: string, part: string) => text.split(part).length - 1;

beforeEach(async () => {
  const { sts, sandbox } = env;
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

/** `watch --profile deploy` in a tmux pane; the exit code lands in a file when it ends. */
async function startWatch(): Promise<string> {
  const { sandbox, server } = env;
  const exitFile = path.join(sandbox.dir, 'exit-code');
  const watch = shellLine([
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
  ]);
  await server.start(`${watch}; echo $? > '${exitFile}'; sleep 30`, sandbox.dir, 120, 40);
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
    const { server } = env;
    const exitFile = await startWatch();
    await until('the MFA question', async () => ((await screen()).includes(QUESTION) ? true : undefined));
    await server.sendKeys('246810', 'Enter');
    await until('running', async () => (/\] running/.test(await screen()) ? true : undefined));
    await server.sendKeys('q');
    const code = await exitCodeIn(exitFile);
    expect(code).toBe('0');
    // `q` went to the key handler, not echoed into a line-mode terminal.
    expect(await screen()).not.toMatch(/^q$/m);
  }, 60_000);

  it('after a wrong code, r asks again with an empty answer; the right code then runs', async () => {
    const { server } = env;
    const exitFile = await startWatch();
    await until('the MFA question', async () => ((await screen()).includes(QUESTION) ? true : undefined));
    await server.sendKeys('111111', 'Enter');
    await until('the wrong code to be refused', async () =>
      /waiting-for-credentials|MultiFactorAuthentication failed/.test(await screen()) ? true : undefined,
    );
    expect(count(await screen(), QUESTION)).toBe(1);

    await server.sendKeys('r');
    await until('the second MFA question', async () =>
      count(await screen(), QUESTION) === 2 ? true : undefined,
    );
    // The `r` was a command: the new question's line holds nothing typed yet.
    const lastQuestion = (await screen())
      .split('\n')
      .filter((line) => line.includes(QUESTION))
      .at(-1);
    expect(lastQuestion?.trimEnd()).toBe(QUESTION.trimEnd());

    await server.sendKeys('246810', 'Enter');
    await until('running', async () => (/\] running/.test(await screen()) ? true : undefined));
    await server.sendKeys('q');
    expect(await exitCodeIn(exitFile)).toBe('0');
  }, 60_000);
});
