/**
 * A question asked on the terminal (the MFA code of an assume-role profile) hands the terminal back as
 * it was: the single keys work after it, and a key pressed after a wrong answer is a command, not the
 * next answer. Real tmux, the built CLI, the real SDK against the fake STS.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../support/built-cli.js';
import { waitForValue } from '../support/wait-until.js';
import { shellLine, useTmuxSandbox } from './tmux-pane.js';

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
  waitForValue(
    () =>
      readFile(file, 'utf8').then(
        (text) => text.trim(),
        () => undefined,
      ),
    'the supervisor to exit',
    20_000,
  );

describe('questions on the terminal hand it back as it was', () => {
  it('after the MFA code is answered, q quits', async () => {
    const { server } = env;
    const exitFile = await startWatch();
    await waitForValue(
      async () => ((await screen()).includes(QUESTION) ? true : undefined),
      'the MFA question',
      20_000,
    );
    await server.sendKeys('246810', 'Enter');
    await waitForValue(async () => (/\] running/.test(await screen()) ? true : undefined), 'running', 20_000);
    await server.sendKeys('q');
    const code = await exitCodeIn(exitFile);
    expect(code).toBe('0');
    // `q` went to the key handler, not echoed into a line-mode terminal.
    expect(await screen()).not.toMatch(/^q$/m);
  }, 60_000);

  it('after a wrong code, r asks again with an empty answer; the right code then runs', async () => {
    const { server } = env;
    const exitFile = await startWatch();
    await waitForValue(
      async () => ((await screen()).includes(QUESTION) ? true : undefined),
      'the MFA question',
      20_000,
    );
    await server.sendKeys('111111', 'Enter');
    await waitForValue(
      async () =>
        /waiting-for-credentials|MultiFactorAuthentication failed/.test(await screen()) ? true : undefined,
      'the wrong code to be refused',
      20_000,
    );
    expect(count(await screen(), QUESTION)).toBe(1);

    await server.sendKeys('r');
    await waitForValue(
      async () => (count(await screen(), QUESTION) === 2 ? true : undefined),
      'the second MFA question',
      20_000,
    );
    // The `r` was a command: the new question's line holds nothing typed yet.
    const lastQuestion = (await screen())
      .split('\n')
      .filter((line) => line.includes(QUESTION))
      .at(-1);
    expect(lastQuestion?.trimEnd()).toBe(QUESTION.trimEnd());

    await server.sendKeys('246810', 'Enter');
    await waitForValue(async () => (/\] running/.test(await screen()) ? true : undefined), 'running', 20_000);
    await server.sendKeys('q');
    expect(await exitCodeIn(exitFile)).toBe('0');
  }, 60_000);
});
