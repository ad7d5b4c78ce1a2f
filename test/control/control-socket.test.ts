import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  requestReload,
  requestStatus,
  requestStop,
  sendControlCommand,
} from '../../src/control/control-client.js';
import {
  type ControlHandlers,
  type ControlServer,
  startControlServer,
} from '../../src/control/control-server.js';
import { ControlError } from '../../src/control/errors.js';
import { acquireSupervisorLock } from '../../src/control/lock.js';
import { controlSocketPath, MAX_SOCKET_PATH_BYTES } from '../../src/control/socket-path.js';
import { ensureStateDir } from '../../src/control/state-dir.js';
import { initialStatus, type StatusSnapshot } from '../../src/control/status.js';
import { runStatusCommand } from '../../src/control/status-command.js';
import { Redactor } from '../../src/logging/redact.js';

let root: string;
let stateDir: string;
const servers: ControlServer[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-sock-'));
  stateDir = path.join(root, '.cred-supervisor');
  await ensureStateDir(stateDir);
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

const snapshot: StatusSnapshot = {
  ...initialStatus(4242),
  state: 'running',
  child: { pid: 5151, restarts: 1, startedAt: '2025-06-01T11:00:00Z' },
  credentials: {
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/ci',
    expiresAt: null,
    source: 'env',
  },
};

function handlers(overrides: Partial<ControlHandlers> = {}): ControlHandlers & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getStatus: () => snapshot,
    reload: async () => {
      calls.push('reload');
      return { message: 'Credentials re-read: account 123456789012.' };
    },
    stop: async () => {
      calls.push('stop');
      return { message: 'Child stopped.' };
    },
    ...overrides,
  };
}

async function serve(h: ControlHandlers = handlers(), options = {}) {
  const server = await startControlServer(stateDir, h, options);
  servers.push(server);
  return server;
}

/** A socket file whose listener was SIGKILLed: what a killed supervisor leaves behind. */
async function leaveStaleSocket(socketPath: string): Promise<void> {
  const script = `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise((resolve) => child.stdout?.once('data', resolve));
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
  expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
}

async function rawExchange(socketPath: string, payload: string, replies: number): Promise<unknown[]> {
  const socket = net.connect(socketPath);
  const received: unknown[] = [];
  let buffer = '';
  return new Promise((resolve, reject) => {
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) received.push(JSON.parse(line));
      if (received.length >= replies) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('connect', () => socket.write(payload));
  });
}

describe('control socket', () => {
  it('answers status, reload and stop', async () => {
    const h = handlers();
    const server = await serve(h);
    expect(server.socketPath).toBe(path.join(fs.realpathSync(stateDir), 'control.sock'));
    expect(fs.statSync(server.socketPath).mode & 0o777).toBe(0o600);

    expect(await requestStatus(stateDir)).toEqual({ ...snapshot, sso: null });
    expect(await requestReload(stateDir)).toEqual({ message: 'Credentials re-read: account 123456789012.' });
    expect(await requestStop(stateDir)).toEqual({ message: 'Child stopped.' });
    expect(h.calls).toEqual(['reload', 'stop']);
  });

  it('sends the status in the exact spec shape, dropping anything else the supervisor holds', async () => {
    await serve(handlers({ getStatus: () => ({ ...snapshot, internal: { token: 'x' } }) as StatusSnapshot }));
    const result = (await sendControlCommand(stateDir, 'status')) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['state', 'pid', 'child', 'credentials', 'lastError', 'sso']);
  });

  it('reports a failed command with the secret scrubbed from its message', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    await serve(
      handlers({
        reload: async () => {
          throw new Error(`verification failed for ${secret}`);
        },
      }),
      { redactor: new Redactor() },
    );
    const error = await requestReload(stateDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlError);
    expect((error as ControlError).code).toBe('REFUSED');
    expect((error as Error).message).toContain('verification failed for [REDACTED]');
    expect((error as Error).message).not.toContain(secret);
  });

  it('speaks newline-delimited JSON: several requests, split chunks, bad lines', async () => {
    const server = await serve();
    const replies = await rawExchange(
      server.socketPath,
      '{"id":1,"command":"status"}\n{"id":2,"comm' +
        'and":"reload"}\nnot json\n{"id":3,"command":"explode"}\n',
      4,
    );
    expect(replies[0]).toMatchObject({ id: 1, ok: true, result: { state: 'running' } });
    expect(replies[1]).toMatchObject({ id: 2, ok: true });
    expect(replies[2]).toEqual({ id: null, ok: false, error: 'Expected one JSON object per line.' });
    expect(replies[3]).toMatchObject({
      id: 3,
      ok: false,
      error: expect.stringContaining('"status" | "reload" | "stop"'),
    });
  });

  it('says no supervisor runs when there is no socket', async () => {
    const error = await requestStatus(stateDir).catch((e: unknown) => e);
    expect((error as ControlError).code).toBe('NO_SUPERVISOR');
    expect(await runStatusCommand(stateDir, 'human')).toEqual({
      stdout: `No cred-supervisor is running in ${stateDir}.\n`,
      stderr: '',
      exitCode: 3,
    });
    expect(await runStatusCommand(stateDir, 'json')).toMatchObject({ stdout: '', exitCode: 3 });
    expect(await runStatusCommand(stateDir, 'tmux')).toEqual({ stdout: '', stderr: '', exitCode: 3 });
  });

  it('never trusts a stale socket: the client says nothing runs, the server replaces it', async () => {
    const socketPath = controlSocketPath(stateDir);
    await leaveStaleSocket(socketPath);
    const error = await requestStatus(stateDir).catch((e: unknown) => e);
    expect((error as ControlError).code).toBe('NO_SUPERVISOR');
    expect((await runStatusCommand(stateDir, 'json')).exitCode).toBe(3);

    await serve();
    expect((await requestStatus(stateDir)).state).toBe('running');
  });

  it('refuses to take a socket that another process still answers on', async () => {
    await serve();
    await expect(startControlServer(stateDir, handlers())).rejects.toThrow(/Another process is listening/);
  });

  it('refuses to remove something that is not a socket', async () => {
    fs.writeFileSync(controlSocketPath(stateDir), 'hello');
    await expect(startControlServer(stateDir, handlers())).rejects.toThrow(/to be the control socket/);
  });

  it('times out on a supervisor that does not answer, naming its pid', async () => {
    await serve(handlers({ reload: () => new Promise(() => {}) }));
    const lock = await acquireSupervisorLock(stateDir);
    try {
      const error = await requestReload(stateDir, { timeoutMs: 200 }).catch((e: unknown) => e);
      expect((error as ControlError).code).toBe('TIMEOUT');
      expect((error as Error).message).toBe(
        `The cred-supervisor (pid ${process.pid}) in ${stateDir} did not answer \`reload\` within 200 ms. ` +
          'It may be busy or hung.',
      );
    } finally {
      await lock.release();
    }
  });

  it('delivers the stop reply even when the server is closed right after', async () => {
    let server: ControlServer | undefined;
    server = await serve(
      handlers({
        stop: async () => {
          void server?.close();
          await new Promise((resolve) => setTimeout(resolve, 50));
          return { message: 'Child stopped; exiting.' };
        },
      }),
    );
    expect(await requestStop(stateDir)).toEqual({ message: 'Child stopped; exiting.' });
    await server.close();
    expect(fs.existsSync(server.socketPath)).toBe(false);
  });

  it('treats a supervisor that exits during `stop` as stopped', async () => {
    const socketPath = controlSocketPath(stateDir);
    // A listener that hangs up without answering, as a supervisor does when it exits.
    const hangUp = net.createServer((socket) => socket.once('data', () => socket.end()));
    await new Promise<void>((resolve) => hangUp.listen(socketPath, resolve));
    try {
      expect(await requestStop(stateDir)).toEqual({ message: 'The supervisor stopped.' });
      await expect(requestStatus(stateDir)).rejects.toMatchObject({
        code: 'STOPPING',
        message: expect.stringMatching(/closed the connection without answering `status`: it is stopping/),
      });
    } finally {
      await new Promise((resolve) => hangUp.close(resolve));
    }
  });
});

describe('socket path', () => {
  it('stays in the state dir when it fits', () => {
    expect(controlSocketPath(stateDir)).toBe(path.join(fs.realpathSync(stateDir), 'control.sock'));
  });

  it('falls back to a short private path when the state dir is too deep for a unix socket', async () => {
    const deep = path.join(root, 'x'.repeat(60), 'y'.repeat(40), '.cred-supervisor');
    await ensureStateDir(deep);
    const socketPath = controlSocketPath(deep);
    expect(Buffer.byteLength(path.join(deep, 'control.sock'))).toBeGreaterThan(MAX_SOCKET_PATH_BYTES);
    expect(Buffer.byteLength(socketPath)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    expect(socketPath.startsWith(os.tmpdir())).toBe(true);
    // The same for every spelling of the directory, and different for another directory.
    expect(controlSocketPath(path.join(deep, '..', '.cred-supervisor'))).toBe(socketPath);
    expect(controlSocketPath(path.join(root, 'x'.repeat(60), 'z'.repeat(40)))).not.toBe(socketPath);

    const server = await startControlServer(deep, handlers());
    servers.push(server);
    expect(server.socketPath).toBe(socketPath);
    expect(fs.statSync(path.dirname(socketPath)).mode & 0o777).toBe(0o700);
    expect((await requestStatus(deep)).pid).toBe(4242);
    expect((await runStatusCommand(deep, 'tmux', { now: new Date() })).stdout).toBe('☁ 1234…9012\n');
  });
});

describe('runStatusCommand', () => {
  it('prints JSON, human text or a tmux segment, exit 0', async () => {
    await serve();
    const json = await runStatusCommand(stateDir, 'json');
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ...snapshot, sso: null });
    expect((await runStatusCommand(stateDir, 'human')).stdout).toMatch(
      /^cred-supervisor: running \(pid 4242\)/,
    );
    expect((await runStatusCommand(stateDir, 'tmux-ascii')).stdout).toBe('aws 1234..9012\n');
  });
});
