/**
 * A detached supervisor (a tmux pane, stdin not a terminal) whose profile assumes a role with MFA asks
 * for the code with `command-prompt` in the person's attached client (real tmux, a real terminal through
 * util-linux `script`); the code typed there reaches the supervisor like `cred-supervisor mfa`, the
 * role is assumed and the child starts. The code never shows in the supervisor's pane.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { LocalSts } from '../../src/demo/local-sts.js';
import { shellLine, until } from '../background/tmux-pane.js';
import { attachedTmux, CAN_ATTACH } from '../support/attached-tmux.js';
import { assertBuilt, CLI } from '../support/watch-session.js';
import { isolatedAwsEnv } from './support/isolated-aws-env.js';

const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/me';

describe.skipIf(!CAN_ATTACH)('watch under tmux, detached: the MFA code asked in the attached client', () => {
  beforeAll(() => assertBuilt());

  it('command-prompt in the current client; the typed code completes the assume-role', async () => {
    const sts = await LocalSts.start({ mfaCode: '246810' });
    onTestFinished(() => sts.close());
    const aws = await isolatedAwsEnv();
    const base = sts.issueKey({ prefix: 'AKIA' });
    await aws.writeCredentials(
      `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
    );
    await aws.writeConfig(
      `[profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/Deploy\nsource_profile = base\nmfa_serial = ${MFA_SERIAL}\nregion = eu-west-1\n`,
    );
    const tmux = await attachedTmux({
      PATH: process.env.PATH,
      HOME: aws.home,
      AWS_CONFIG_FILE: aws.configFile,
      AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const dir = path.join(tmux.root, 'project');
    await mkdir(dir);
    const watch = [
      process.execPath,
      CLI,
      'watch',
      '--profile',
      'deploy',
      '--',
      process.execPath,
      '-e',
      'setInterval(() => {}, 1000)',
    ];
    await tmux.server.tmux([
      'new-session',
      '-d',
      '-s',
      'bg',
      '-c',
      dir,
      `${shellLine(watch)} < /dev/null; sleep 60`,
    ]);

    await until(
      'the command-prompt',
      async () =>
        (await tmux.calls()).some((line) => line.startsWith('command-prompt -t')) ? true : undefined,
      30_000,
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}; tmux errors: ${await tmux.refusals()}`);
    });
    await until('the question on the client', async () =>
      tmux.screen().includes('MFA code for') ? true : undefined,
    );
    tmux.type('246810\r');
    await until(
      'the supervisor running',
      async () => {
        const status = await execa(process.execPath, [CLI, 'status', '--json'], {
          cwd: dir,
          env: tmux.env,
          extendEnv: false,
          reject: false,
        });
        return status.exitCode === 0 && JSON.parse(status.stdout).state === 'running' ? true : undefined;
      },
      30_000,
    ).catch(async (error) => {
      const pane = await tmux.server.tmux(['capture-pane', '-p', '-J', '-t', 'bg']);
      throw new Error(
        `${(error as Error).message}; pane:\n${String(pane.stdout)}\ntmux errors: ${await tmux.refusals()}`,
      );
    });
    expect(sts.requests.some((r) => r.action === 'AssumeRole' && r.status === 200)).toBe(true);
    const pane = String(
      (await tmux.server.tmux(['capture-pane', '-p', '-J', '-S', '-100', '-t', 'bg'])).stdout,
    );
    expect(pane).not.toContain('246810');
  }, 90_000);
});
