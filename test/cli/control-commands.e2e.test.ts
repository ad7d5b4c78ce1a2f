/**
 * status, reload and stop through the built CLI, against a real control socket: served in this
 * process by `startControlServer` with recording handlers, or by a separate fake supervisor process
 * where `stop` must see a process exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ControlHandlers,
  type ControlServer,
  startControlServer,
} from '../../src/control/control-server.js';
import { controlSocketPath } from '../../src/control/socket-path.js';
import { ensureStateDir } from '../../src/control/state-dir.js';
import type { StatusSnapshot } from '../../src/control/status.js';
import { isProcessAlive } from '../../src/process/liveness.js';
import { assertBuilt } from '../support/built-cli.js';
import { createSandbox, type Sandbox } from '../support/sandbox.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fakeSupervisor = path.join(here, 'fixtures', 'fake-supervisor.ts');
const registerTs = path.join(here, '..', 'control', 'fixtures', 'register-ts.mjs');

let sandbox: Sandbox;
const servers: ControlServer[] = [];
const children: ChildProcess[] = [];

beforeAll(assertBuilt);
beforeEach(async () => {
  // No STS: these commands never look at credentials.
  sandbox = await createSandbox('http://127.0.0.1:9');
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await sandbox.cleanup();
});

const snapshot: StatusSnapshot = {
  state: 'running',
  pid: 4242,
  child: { pid: 5151, restarts: 2, startedAt: new Date(Date.now() - 5 * 60_000).toISOString() },
  credentials: {
    account: '123456789012',
    arn: 'arn:aws:sts::123456789012:assumed-role/dev/alice',
    expiresAt: new Date(Date.now() + 42 * 60_000 + 30_000).toISOString(),
    source: 'credentials file .cred-supervisor/credentials',
  },
  lastError: null,
};

function recordingHandlers(overrides: Partial<ControlHandlers> = {}) {
  const calls: string[] = [];
  const handlers: ControlHandlers = {
    getStatus: () => {
      calls.push('status');
      return snapshot;
    },
    reload: async () => {
      calls.push('reload');
      return { message: 'Credentials re-read and verified: account 123456789012, 58m left.' };
    },
    stop: async () => {
      calls.push('stop');
      return { message: 'Child stopped.' };
    },
    ...overrides,
  };
  return { calls, handlers };
}

async function serve(stateDir: string, handlers: ControlHandlers): Promise<void> {
  servers.push(await startControlServer(stateDir, handlers));
}

/** Starts the fake supervisor process on `stateDir` and waits for its readiness line. */
async function spawnSupervisor(stateDir: string, linger: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', registerTs, fakeSupervisor, stateDir, linger], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`fake supervisor exited with ${code} before it was ready`)),
    );
  });
}

const defaultStateDir = () => path.join(sandbox.dir, '.cred-supervisor');

describe('with no supervisor running: exit 3 and say so', () => {
  it('status (text, --json, --format tmux)', async () => {
    const text = await sandbox.run(['status']);
    expect(text.exitCode).toBe(3);
    expect(text.stdout).toBe(`No cred-supervisor is running in ${defaultStateDir()}.`);

    const json = await sandbox.run(['status', '--json']);
    expect(json).toMatchObject({ exitCode: 3, stdout: '' });
    expect(json.stderr).toContain('No cred-supervisor is running');

    // tmux shows stdout in the status line: nothing running means an empty segment.
    const tmux = await sandbox.run(['status', '--format', 'tmux']);
    expect(tmux).toMatchObject({ exitCode: 3, stdout: '', stderr: '' });
  });

  it.each([['reload'], ['stop']])('%s', async (command) => {
    const run = await sandbox.run([command]);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`No cred-supervisor is running in ${defaultStateDir()}.`);
  });

  it('a socket file left by a killed supervisor still means none is running', async () => {
    const socketPath = controlSocketPath(defaultStateDir());
    await ensureStateDir(defaultStateDir());
    const listener = spawn(
      process.execPath,
      ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('up'))", socketPath],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(listener);
    await new Promise((resolve) => listener.stdout?.once('data', resolve));
    await new Promise((resolve) => {
      listener.once('exit', resolve);
      listener.kill('SIGKILL');
    });
    expect(existsSync(socketPath)).toBe(true);

    for (const command of ['status', 'reload', 'stop']) {
      const run = await sandbox.run([command]);
      expect(run.exitCode, command).toBe(3);
      expect(run.stdout + run.stderr, command).toContain('No cred-supervisor is running');
    }
  });
});

describe('status against a running supervisor', () => {
  it('prints the human status, the JSON snapshot and the tmux segment', async () => {
    const { calls, handlers } = recordingHandlers();
    await serve(defaultStateDir(), handlers);

    const text = await sandbox.run(['status']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('cred-supervisor: running (pid 4242)');
    expect(text.stdout).toMatch(/child:\s+pid 5151, up 5m.*restarted 2 times/);
    expect(text.stdout).toMatch(
      /account:\s+123456789012 \(arn:aws:sts::123456789012:assumed-role\/dev\/alice\)/,
    );

    const json = await sandbox.run(['status', '--json']);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ...snapshot, sso: null });

    const tmux = await sandbox.run(['status', '--format', 'tmux']);
    expect(tmux).toMatchObject({ exitCode: 0, stdout: '☁ 1234…9012 42m' });
    const ascii = await sandbox.run(['status', '--format', 'tmux-ascii']);
    expect(ascii).toMatchObject({ exitCode: 0, stdout: 'aws 1234..9012 42m' });

    expect(calls).toEqual(['status', 'status', 'status', 'status']);
  });

  it('finds the supervisor through --state-dir, else the config file stateDir', async () => {
    const fromConfig = path.join(sandbox.dir, 'state-from-config');
    const fromFlag = path.join(sandbox.dir, 'state-from-flag');
    await writeFile(
      path.join(sandbox.dir, 'cred-supervisor.config.json'),
      '// the team keeps state elsewhere\n{ "stateDir": "state-from-config" }\n',
    );
    await serve(fromConfig, recordingHandlers().handlers);

    const viaConfig = await sandbox.run(['status', '--json']);
    expect(viaConfig.exitCode).toBe(0);
    expect(JSON.parse(viaConfig.stdout).pid).toBe(4242);

    // The flag wins over the config: nothing listens there.
    const viaFlag = await sandbox.run(['status', '--state-dir', 'state-from-flag']);
    expect(viaFlag.exitCode).toBe(3);
    expect(viaFlag.stdout).toContain(`No cred-supervisor is running in ${fromFlag}.`);
  });

  it('a broken config is reported, not fatal: the supervisor in the default place is still found', async () => {
    await writeFile(
      path.join(sandbox.dir, 'cred-supervisor.config.json'),
      '{ "stateDir": 7, "delivery": "pigeon" }',
    );
    await serve(defaultStateDir(), recordingHandlers().handlers);
    const run = await sandbox.run(['status', '--format', 'tmux']);
    expect(run).toMatchObject({ exitCode: 0, stdout: '☁ 1234…9012 42m' });
    expect(run.stderr).toContain('`stateDir` must be a directory path, got `7` (number)');
    expect(run.stderr).toContain(`(looking for the supervisor in ${defaultStateDir()} anyway)`);
  });

  it('a broken config that still names its stateDir as a string is followed there', async () => {
    const elsewhere = path.join(sandbox.dir, 'team-state');
    await writeFile(
      path.join(sandbox.dir, 'cred-supervisor.config.json'),
      '{ "stateDir": "team-state", "delivery": "pigeon" }',
    );
    await serve(elsewhere, recordingHandlers().handlers);
    const run = await sandbox.run(['status', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).pid).toBe(4242);
    expect(run.stderr).toContain('`delivery`');
  });

  it('from a subfolder, finds the supervisor of the project root (walking up, as cdk finds cdk.json)', async () => {
    await writeFile(path.join(sandbox.dir, 'cdk.json'), '{ "app": "node bin/app.js" }');
    const lib = path.join(sandbox.dir, 'lib', 'constructs');
    await mkdir(lib, { recursive: true });
    await serve(defaultStateDir(), recordingHandlers().handlers);
    const run = await sandbox.run(['status', '--json'], {}, lib);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).pid).toBe(4242);
    const reload = await sandbox.run(['reload'], {}, lib);
    expect(reload).toMatchObject({ exitCode: 0 });
    // Nothing was created in the subfolder.
    expect(existsSync(path.join(lib, '.cred-supervisor'))).toBe(false);
  });
});

describe('reload against a running supervisor', () => {
  it('asks it once and prints its answer', async () => {
    const { calls, handlers } = recordingHandlers();
    await serve(defaultStateDir(), handlers);
    const run = await sandbox.run(['reload']);
    expect(run).toMatchObject({
      exitCode: 0,
      stdout: 'Credentials re-read and verified: account 123456789012, 58m left.',
      stderr: '',
    });
    expect(calls).toEqual(['reload']);
  });

  it('exits 1 with the reason when the supervisor answers with an error', async () => {
    const { handlers } = recordingHandlers({
      reload: async () => {
        throw new Error('The credentials file is expired (expired 3m ago).');
      },
    });
    await serve(defaultStateDir(), handlers);
    const run = await sandbox.run(['reload']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('answered: The credentials file is expired (expired 3m ago).');
  });
});

describe('stop against a running supervisor process', () => {
  it('returns only once the supervisor process has exited', async () => {
    const stateDir = defaultStateDir();
    // The fake lingers after answering, as a real one does while it releases its lock and exits.
    const pid = await spawnSupervisor(stateDir, '700');
    const run = await sandbox.run(['stop']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`Stopped the child; the supervisor (pid ${pid}) exits now.`);
    expect(isProcessAlive(pid)).toBe(false);

    const after = await sandbox.run(['status']);
    expect(after.exitCode).toBe(3);
  });

  it('stops it whatever state the config file is in', async () => {
    const pid = await spawnSupervisor(defaultStateDir(), '300');
    await writeFile(path.join(sandbox.dir, 'cred-supervisor.config.json'), '{ "region": "eu-west-1",');
    const run = await sandbox.run(['stop']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`the supervisor (pid ${pid}) exits now.`);
    expect(run.stderr).toContain('cred-supervisor.config.json:1:');
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('gives up after --timeout when the supervisor answers but does not exit, naming its pid', async () => {
    const pid = await spawnSupervisor(defaultStateDir(), 'never');
    const run = await sandbox.run(['stop', '--timeout', '1s']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `the supervisor (pid ${pid}) answered \`stop\` but was still running after 1s`,
    );
    expect(run.stderr).toContain(`kill ${pid}`);
    expect(isProcessAlive(pid)).toBe(true);
  });

  it('rejects a --timeout that is not a duration', async () => {
    const run = await sandbox.run(['stop', '--timeout', 'soon']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'Expected `--timeout` to be a duration like 500ms, 30s, 10m or 1h, got `soon`',
    );
  });
});
