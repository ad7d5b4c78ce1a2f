import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { requestMfaAnswer } from '../../src/control/control-client.js';
import { startControlServer } from '../../src/control/control-server.js';
import { terminalMfaPrompt } from '../../src/credentials/mfa-prompt.js';
import { createMfaQuestion } from '../../src/credentials/mfa-question.js';
import { resolveProfileCredentials } from '../../src/credentials/profile-source.js';
import { LocalSts } from '../../src/demo/local-sts.js';
import { assertBuilt, CLI } from '../support/built-cli.js';
import { isolatedAwsEnv } from './support/isolated-aws-env.js';
import { tempDir } from './support/temp-dir.js';

const REQUEST = { profile: 'deploy', mfaSerial: 'arn:aws:iam::123456789012:mfa/me' };

describe('the MFA question', () => {
  it('is answered over the control socket when nobody is at the terminal', async () => {
    const announced: string[] = [];
    const question = createMfaQuestion({ announce: (r, how) => announced.push(`${r.profile}: ${how}`) });
    const code = question.prompt(REQUEST);
    expect(question.pending).toEqual(REQUEST);
    expect(announced).toEqual(['deploy: run `cred-supervisor mfa CODE` in any terminal of this project']);
    expect(() => question.answer('12345')).toThrow(
      'An MFA code is 6 digits; got 5 characters. The question is still open.',
    );
    expect(question.answer(' 654321 ')).toEqual({
      message: 'MFA code handed to the supervisor for profile deploy.',
    });
    await expect(code).resolves.toBe('654321');
    expect(question.pending).toBeUndefined();
    expect(() => question.answer('654321')).toThrow('This supervisor is not waiting for an MFA code.');
  });

  it('the terminal answers first: the socket can no longer; the socket first: the terminal prompt is withdrawn', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    const question = createMfaQuestion({
      terminal: (signal) => terminalMfaPrompt({ input, output, signal }),
    });
    const first = question.prompt(REQUEST);
    input.write('111111\n');
    await expect(first).resolves.toBe('111111');
    expect(() => question.answer('222222')).toThrow('not waiting');

    const second = question.prompt(REQUEST);
    question.answer('333333');
    await expect(second).resolves.toBe('333333');
    input.write('444444\n'); // a withdrawn prompt takes nothing
    expect(question.pending).toBeUndefined();
  });

  it('a question nobody answers ends with the problem, not a hang', async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const question = createMfaQuestion({ timeoutMs: 60_000 });
    const code = question.prompt(REQUEST);
    const settled = expect(code).rejects.toMatchObject({ code: 'MFA_REQUIRED' });
    await vi.advanceTimersByTimeAsync(60_000);
    await settled;
    expect(question.pending).toBeUndefined();
  });
});

describe('cred-supervisor mfa CODE from another terminal', () => {
  beforeAll(() => assertBuilt());

  async function serving(question: ReturnType<typeof createMfaQuestion>) {
    const stateDir = path.join(await tempDir('cred-supervisor-mfa-'), '.cred-supervisor');
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const server = await startControlServer(stateDir, {
      getStatus: () => {
        throw new Error('not used');
      },
      reload: async () => ({ message: 'not used' }),
      stop: async () => ({ message: 'not used' }),
      answerMfa: (code) => question.answer(code),
    });
    onTestFinished(() => server.close());
    return stateDir;
  }

  it('completes an assume-role with MFA that the supervisor is resolving', async () => {
    const sts = await LocalSts.start({ mfaCode: '246810' });
    onTestFinished(() => sts.close());
    const aws = await isolatedAwsEnv();
    vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
    const base = sts.issueKey({ prefix: 'AKIA' });
    await aws.writeCredentials(
      `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
    );
    await aws.writeConfig(
      `[profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/Deploy\nsource_profile = base\nmfa_serial = ${REQUEST.mfaSerial}\nregion = eu-west-1\n`,
    );
    const question = createMfaQuestion();
    const stateDir = await serving(question);
    const resolving = resolveProfileCredentials({ profile: 'deploy', promptMfaCode: question.prompt });
    await vi.waitFor(() => expect(question.pending).toBeDefined(), { timeout: 10_000 });

    const answered = await execa(process.execPath, [CLI, 'mfa', '246810', '--state-dir', stateDir], {
      reject: false,
      cwd: path.dirname(stateDir),
    });
    expect(answered.stdout).toBe('MFA code handed to the supervisor for profile deploy.');
    expect(answered.exitCode).toBe(0);
    const resolved = await resolving;
    expect(sts.keys.get(resolved.credentials.accessKeyId)?.arn).toContain('assumed-role/Deploy/');
  });

  it('reads the code from stdin, and says so when nothing is asked', async () => {
    const question = createMfaQuestion();
    const stateDir = await serving(question);
    const idle = await execa(process.execPath, [CLI, 'mfa', '--state-dir', stateDir], {
      reject: false,
      input: '123456\n',
    });
    expect(idle.exitCode).toBe(1);
    expect(idle.stderr).toContain('answered: This supervisor is not waiting for an MFA code.');
    expect(idle.stderr).not.toContain('123456');

    const code = question.prompt(REQUEST);
    const viaStdin = await execa(process.execPath, [CLI, 'mfa', '--state-dir', stateDir], {
      reject: false,
      input: '123456\n',
    });
    expect(viaStdin.exitCode).toBe(0);
    await expect(code).resolves.toBe('123456');
  });

  it('with no supervisor running: exit 3 and says so', async () => {
    const stateDir = path.join(await tempDir('cred-supervisor-mfa-'), '.cred-supervisor');
    const run = await execa(process.execPath, [CLI, 'mfa', '123456', '--state-dir', stateDir], {
      reject: false,
    });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('Nothing is waiting for an MFA code here.');
  });

  it('requestMfaAnswer hands the code to the pending question', async () => {
    const question = createMfaQuestion();
    const stateDir = await serving(question);
    const code = question.prompt(REQUEST);
    await expect(requestMfaAnswer(stateDir, '135790')).resolves.toEqual({
      message: 'MFA code handed to the supervisor for profile deploy.',
    });
    await expect(code).resolves.toBe('135790');
  });
});
