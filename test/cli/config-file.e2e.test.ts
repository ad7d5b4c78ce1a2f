/**
 * `init` and the config file as the built CLI applies them: defaults, then the project's config
 * (cred-supervisor.config.json, else package.json#credSupervisor), then flags.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import { envLines, type Sandbox, useSandbox } from '../support/sandbox.js';

let sts: FakeSts;
let sandbox: Sandbox;
useSandbox((context) => {
  ({ sts, sandbox } = context);
});

const configFile = () => path.join(sandbox.dir, 'cred-supervisor.config.json');
const inDir = (...parts: string[]) => path.join(sandbox.dir, ...parts);

describe('cred-supervisor init (built CLI)', () => {
  it('creates the config, a private state dir and the .gitignore entry, and says so', async () => {
    const run = await sandbox.run(['init']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^ {2}created\s+cred-supervisor\.config\.json/m);
    expect(run.stdout).toMatch(/^ {2}created\s+\.cred-supervisor\/ \(mode 700/m);
    expect(run.stdout).toMatch(/^ {2}created\s+\.gitignore ignores \.cred-supervisor\//m);
    expect(run.stdout).toContain(
      'aws configure export-credentials --format env > .cred-supervisor/credentials',
    );

    expect((await stat(inDir('.cred-supervisor'))).mode & 0o777).toBe(0o700);
    expect(await readFile(inDir('.gitignore'), 'utf8')).toMatch(/^\.cred-supervisor\/$/m);
    // The starter config is valid as written: every option commented out, so the defaults apply.
    const check = await sandbox.run(['check', '--json']);
    expect(check.exitCode).toBe(3);
    expect(JSON.parse(check.stdout)).toMatchObject({ status: 'missing', region: 'us-east-1' });
  });

  it('is idempotent: a second run changes nothing and says what exists', async () => {
    await writeFile(inDir('.gitignore'), 'node_modules/\ncdk.out');
    expect((await sandbox.run(['init'])).exitCode).toBe(0);
    const gitignore = await readFile(inDir('.gitignore'), 'utf8');
    const config = await readFile(configFile(), 'utf8');
    expect(gitignore).toBe(
      'node_modules/\ncdk.out\n# cred-supervisor: lock, control socket, log and credentials; never commit them\n.cred-supervisor/\n',
    );

    const again = await sandbox.run(['init']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toMatch(/created|updated/);
    expect(again.stdout).toMatch(/exists\s+cred-supervisor\.config\.json \(left as it is\)/);
    expect(again.stdout).toMatch(/exists\s+\.cred-supervisor\//);
    expect(again.stdout).toMatch(/exists\s+\.gitignore ignores \.cred-supervisor\/ already/);
    expect(await readFile(inDir('.gitignore'), 'utf8')).toBe(gitignore);
    expect(await readFile(configFile(), 'utf8')).toBe(config);
  });

  it('never overwrites a config, and writes none when package.json#credSupervisor is the config', async () => {
    await writeFile(
      inDir('package.json'),
      JSON.stringify({ name: 'app', credSupervisor: { profile: 'dev' } }),
    );
    const run = await sandbox.run(['init']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('package.json#credSupervisor is the config');
    await expect(stat(configFile())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves an existing state dir as it is (never chmods a folder it did not make)', async () => {
    await sandbox.run(['init']);
    const { chmod } = await import('node:fs/promises');
    await chmod(inDir('.cred-supervisor'), 0o755);
    const run = await sandbox.run(['init']);
    expect(run.stdout).toMatch(/exists\s+\.cred-supervisor\//);
    expect((await stat(inDir('.cred-supervisor'))).mode & 0o777).toBe(0o755);
  });
});

describe('the config file between defaults and flags', () => {
  async function checkJson(args: string[] = []) {
    const run = await sandbox.run(['check', '--json', ...args]);
    expect(run.stderr).toBe('');
    return { exitCode: run.exitCode, json: JSON.parse(run.stdout) };
  }

  it('applies the region of the config written by init, and a flag overrides it', async () => {
    const key = sts.issueKey({ account: '210987654321' });
    await sandbox.writeCredentials(envLines(key));
    await sandbox.run(['init']);
    // Uncomment one line of the starter config, as a person would.
    const starter = await readFile(configFile(), 'utf8');
    expect(starter).toContain('// "region": "eu-west-1",');
    await writeFile(configFile(), starter.replace('// "region": "eu-west-1",', '"region": "eu-west-1",'));

    const fromConfig = await checkJson();
    expect(fromConfig.exitCode).toBe(0);
    expect(fromConfig.json).toMatchObject({ account: '210987654321', region: 'eu-west-1' });

    const fromFlag = await checkJson(['--region', 'ap-south-1']);
    expect(fromFlag.exitCode).toBe(0);
    expect(fromFlag.json.region).toBe('ap-south-1');
  });

  it('check from a subfolder uses the project root config and credentials file', async () => {
    const key = sts.issueKey({ account: '210987654321' });
    await sandbox.writeCredentials(envLines(key));
    await writeFile(configFile(), '{ "region": "eu-west-1" }');
    const lib = inDir('lib');
    await mkdir(lib);
    const run = await sandbox.run(['check', '--json'], {}, lib);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      account: '210987654321',
      region: 'eu-west-1',
      source: { path: sandbox.credentialsFile },
    });
  });

  it('reads package.json#credSupervisor when there is no config file', async () => {
    const key = sts.issueKey({ account: '111122223333' });
    await sandbox.writeCredentials(envLines(key));
    await writeFile(
      inDir('package.json'),
      JSON.stringify({ name: 'app', credSupervisor: { expectAccount: '999999999999' } }),
    );
    const run = await checkJson();
    expect(run.exitCode).toBe(4);
    expect(run.json).toMatchObject({ status: 'wrong-account', account: '111122223333' });
  });

  it('moves the credentials file with the config stateDir, resolved against the project', async () => {
    const key = sts.issueKey({ account: '444455556666' });
    await sandbox.writeCredentials(envLines(key), inDir('creds-here', 'credentials'));
    await writeFile(configFile(), '{\n  "stateDir": "creds-here", // trailing comma next\n}\n');
    const run = await checkJson();
    expect(run.exitCode).toBe(0);
    expect(run.json.account).toBe('444455556666');
    // A flag moves it back.
    const flagged = await checkJson(['--state-dir', '.cred-supervisor']);
    expect(flagged.exitCode).toBe(3);
  });
});

describe('a config that cannot be used: exit 2, every problem named', () => {
  it.each([
    [
      'an unknown key, with the likely one',
      '{ "regoin": "eu-west-1" }',
      ['cred-supervisor.config.json: unknown key `regoin`. Did you mean `region`?'],
    ],
    [
      'wrong values, all of them at once',
      '{ "refreshBefore": "10 minutes", "delivery": "pigeon" }',
      [
        '`refreshBefore` must be a duration like 10m, got `10 minutes` (string)',
        '`delivery` must be one of endpoint, env, profile, got `pigeon` (string)',
      ],
    ],
    [
      'a syntax error, with line and column',
      '{\n  "region": "eu-west-1"\n  "profile": "dev"\n}',
      ['cred-supervisor.config.json:3:3: invalid JSON with comments'],
    ],
  ])('%s', async (_name, content, messages) => {
    await writeFile(configFile(), content);
    const run = await sandbox.run(['check']);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`The cred-supervisor configuration in ${sandbox.dir} cannot be used:`);
    for (const message of messages) expect(run.stderr).toContain(message);
    // The control commands are never blocked by the config: they report it and look for the supervisor.
    for (const command of [['status'], ['reload'], ['stop']]) {
      const control = await sandbox.run(command);
      expect(control.exitCode, command.join(' ')).toBe(3);
      expect(control.stderr).toContain(
        `cred-supervisor: note: The cred-supervisor configuration in ${sandbox.dir} cannot be used:`,
      );
      for (const message of messages) expect(control.stderr).toContain(message);
      expect(control.stdout + control.stderr).toContain('No cred-supervisor is running');
    }
    // Nothing was asked of STS: the config is checked before any credentials.
    expect(sts.requests).toEqual([]);
  });

  it('refuses credentials in the config without repeating them', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    await writeFile(configFile(), JSON.stringify({ profile: 'dev', secretAccessKey: secret }));
    const run = await sandbox.run(['check']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('`secretAccessKey` is a credential field');
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('a bad package.json#credSupervisor is named as such', async () => {
    await writeFile(inDir('package.json'), JSON.stringify({ credSupervisor: { stopGrace: 5 } }));
    const run = await sandbox.run(['check']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'package.json#credSupervisor: `stopGrace` must be a duration like 5s, got `5` (number)',
    );
  });
});
