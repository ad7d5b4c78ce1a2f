/**
 * The supervisor as its users run it in the background: detached in tmux (a private tmux server per
 * test), driven from outside with `status`, `reload` and `stop` through the real built CLI.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessGone } from '../../src/process/liveness.js';
import { assertBuilt, CLI, createSandbox, envLines, type Sandbox } from '../cli/built-cli.js';
import { FakeSts } from '../support/fake-sts.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));

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

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A process that exited but is not reaped yet (a zombie, until tmux waits for it) counts as gone.
const alive = (pid: number) => !isProcessGone(pid);

beforeEach(async () => {
  assertBuilt();
  sts = await FakeSts.start();
  sandbox = await createSandbox(sts.url);
  socket = `cs-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  await tmux(['kill-server']);
  await sts.close();
  await sandbox.cleanup();
});

describe('detached under tmux', () => {
  it('reports running from outside, re-verifies on reload, stops with its child', async () => {
    const key = sts.issueKey();
    await sandbox.writeCredentials(envLines(key));
    const watch = [process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch'].map((a) => `'${a}'`).join(' ');
    const started = await tmux([
      'new-session',
      '-d',
      '-s',
      'dev',
      '-x',
      '160',
      '-y',
      '40',
      '-c',
      sandbox.dir,
      watch,
    ]);
    expect(started.exitCode, started.stderr).toBe(0);

    const status = await until('status --json to say running', async () => {
      const run = await sandbox.run(['status', '--json']);
      if (run.exitCode !== 0) return undefined;
      const json = JSON.parse(run.stdout);
      return json.state === 'running' && json.child.pid ? json : undefined;
    });
    expect(Object.keys(status)).toEqual(['state', 'pid', 'child', 'credentials', 'lastError']);
    expect(status.credentials).toMatchObject({ account: key.account, arn: key.arn });
    const childPid: number = status.child.pid;
    expect(alive(childPid)).toBe(true);

    const pane = await tmux(['capture-pane', '-p', '-t', 'dev']);
    expect(pane.stdout).toMatch(/\[cred-supervisor\] running · account 123456789012/);

    const tmuxSegment = await sandbox.run(['status', '--format', 'tmux']);
    expect(tmuxSegment.exitCode).toBe(0);
    expect(tmuxSegment.stdout.trim()).toMatch(/1234…9012/);

    const verificationsBefore = sts.requestsBy(key.accessKeyId).length;
    const reload = await sandbox.run(['reload']);
    expect(reload.exitCode, reload.stderr).toBe(0);
    await sts.waitForRequest(() => sts.requestsBy(key.accessKeyId).length > verificationsBefore, 10_000);

    const stop = await sandbox.run(['stop']);
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(alive(status.pid)).toBe(false);
    await until('the child to be gone', async () => (alive(childPid) ? undefined : true), 5_000);
    const after = await sandbox.run(['status']);
    expect(after.exitCode).toBe(3);
    // The pane's program (the supervisor) ended, so tmux closed the session.
    await until('the tmux session to close', async () =>
      (await tmux(['has-session', '-t', 'dev'])).exitCode !== 0 ? true : undefined,
    );
  });

  it('shows the waiting marker in the tmux segment when credentials are needed', async () => {
    const watch = [process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch'].map((a) => `'${a}'`).join(' ');
    await tmux(['new-session', '-d', '-s', 'dev', '-c', sandbox.dir, watch]);
    const segment = await until('the waiting state', async () => {
      const run = await sandbox.run(['status', '--format', 'tmux']);
      return run.exitCode === 0 && /creds/i.test(run.stdout) ? run.stdout : undefined;
    });
    expect(segment).toMatch(/⚠/);
    const json = JSON.parse((await sandbox.run(['status', '--json'])).stdout);
    expect(json.state).toBe('waiting-for-credentials');
    expect(json.child.pid).toBeNull();
    expect(path.isAbsolute(sandbox.credentialsFile)).toBe(true);
    expect((await sandbox.run(['stop'])).exitCode).toBe(0);
  });

  it('on a terminal: s prints the countdown, r re-verifies, Ctrl+C stops gracefully (exit 130)', async () => {
    const key = sts.issueKey({ ttlMs: 50 * 60_000 });
    await sandbox.writeCredentials(envLines(key));
    const exitFile = path.join(sandbox.dir, 'exit-code');
    const watch = `${[process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch'].map((a) => `'${a}'`).join(' ')}; echo $? > '${exitFile}'; sleep 30`;
    await tmux(['new-session', '-d', '-s', 'dev', '-x', '160', '-y', '50', '-c', sandbox.dir, watch]);
    const screen = async () => (await tmux(['capture-pane', '-p', '-t', 'dev', '-S', '-100'])).stdout;
    await until('the keys hint and running', async () => {
      const text = await screen();
      return /keys: r reload/.test(text) && /\] running/.test(text) ? true : undefined;
    });

    await tmux(['send-keys', '-t', 'dev', 's']);
    await until('the countdown', async () =>
      /The credentials expire in (49|50)m/.test(await screen()) ? true : undefined,
    );

    const before = sts.requestsBy(key.accessKeyId).length;
    await tmux(['send-keys', '-t', 'dev', 'r']);
    await sts.waitForRequest(() => sts.requestsBy(key.accessKeyId).length > before, 10_000);

    await tmux(['send-keys', '-t', 'dev', 'C-c']);
    await until('the graceful stop', async () =>
      /Stopping the command gracefully/.test(await screen()) ? true : undefined,
    );
    const code = await until('the exit code', async () => {
      const { readFile } = await import('node:fs/promises');
      return readFile(exitFile, 'utf8').then(
        (text) => text.trim(),
        () => undefined,
      );
    });
    expect(code).toBe('130');
  });
});
