import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/built-cli.js';
import { createSandbox, type Sandbox } from '../support/sandbox.js';

let sandbox: Sandbox;
beforeAll(async () => {
  assertBuilt();
  // No STS is needed: usage errors are found before any credentials are looked at.
  sandbox = await createSandbox('http://127.0.0.1:9');
});
afterAll(async () => {
  await sandbox.cleanup();
});

const COMMANDS = ['watch', 'check', 'exec', 'status', 'reload', 'stop', 'init', 'demo'];

describe('cred-supervisor (built CLI): help and version', () => {
  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const run = await sandbox.run(['--version']);
    expect(run).toMatchObject({ exitCode: 0, stdout: pkg.version });
  });

  it('lists every command in --help', async () => {
    const run = await sandbox.run(['--help']);
    expect(run.exitCode).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it.each(COMMANDS)('`%s --help` exits 0 with usage and examples', async (command) => {
    const run = await sandbox.run([command, '--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`Usage: cred-supervisor ${command}`);
    expect(run.stdout).toContain(`$ cred-supervisor ${command}`);
  });

  it('shows the shared options on watch, check and exec', async () => {
    for (const command of ['watch', 'check', 'exec']) {
      const run = await sandbox.run([command, '--help']);
      for (const flag of [
        '--profile',
        '--credentials-file',
        '--region',
        '--expect-account',
        '--delivery',
        '--refresh-before',
        '--check-schedule',
        '--stop-grace',
        '--state-dir',
        '--log-file',
        '--log-level',
        '--notify-command',
      ]) {
        expect(run.stdout, `${command} --help`).toContain(flag);
      }
    }
  });
});

describe('cred-supervisor (built CLI): usage errors exit 2', () => {
  it.each([
    [['check', '--no-such-flag'], /unknown option '--no-such-flag'/],
    [['check', 'extra'], /too many arguments/],
    [['check', '--region', 'moon-base'], /`--region` must be an AWS region like eu-west-1, got `moon-base`/],
    [
      ['check', '--expect-account', '12345'],
      /`--expect-account` must be a 12-digit AWS account id, like 123456789012, got `12345`/,
    ],
    [['check', '--refresh-before', '5x'], /`--refresh-before` must be a duration like 10m/],
    [['check', '--delivery', 'pigeon'], /Allowed choices are endpoint, env, profile/],
    [['check', '--check-schedule', 'every minute'], /`--check-schedule` must be a node-cron schedule/],
    [['status', '--json', '--format', 'tmux'], /cannot be used with option '--format/],
    [['exec'], /missing required argument 'command'/],
    [['no-such-command'], /unknown command 'no-such-command'/],
    [[], /Usage: cred-supervisor/],
  ])('%j', async (args, message) => {
    const run = await sandbox.run(args);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
