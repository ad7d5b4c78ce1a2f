/**
 * A private tmux server for one test (its own socket, no user config) with one session `dev`, and the
 * ways the background tests look at it: what the pane shows, and waiting for a condition.
 */
import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { afterEach, beforeEach } from 'vitest';
import { assertBuilt } from '../support/built-cli.js';
import { FakeSts } from '../support/fake-sts.js';
import { createSandbox, type Sandbox } from '../support/sandbox.js';
import { waitForValue } from '../support/wait-until.js';

export interface TmuxServer {
  tmux(args: string[]): ReturnType<typeof execa>;
  /** Starts session `dev` running `shellCommand` in `cwd`, `columns`×`rows` wide. */
  start(shellCommand: string, cwd: string, columns?: number, rows?: number): Promise<void>;
  /** The visible screen, or with `history` the scrollback too, wrapped lines joined. */
  screen(options?: { history?: boolean }): Promise<string>;
  sendKeys(...keys: string[]): Promise<void>;
  kill(): Promise<void>;
}

export function tmuxServer(env: NodeJS.ProcessEnv): TmuxServer {
  const socket = `cs-${randomUUID().slice(0, 8)}`;
  const tmux = (args: string[]) =>
    execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env, extendEnv: false, reject: false });
  return {
    tmux,
    async start(shellCommand, cwd, columns = 160, rows = 50) {
      const started = await tmux([
        'new-session',
        '-d',
        '-s',
        'dev',
        '-x',
        String(columns),
        '-y',
        String(rows),
        '-c',
        cwd,
        shellCommand,
      ]);
      if (started.exitCode !== 0) throw new Error(`tmux new-session failed: ${String(started.stderr)}`);
    },
    async screen({ history = false } = {}) {
      const args = history ? ['-J', '-S', '-300'] : [];
      return String((await tmux(['capture-pane', '-p', '-t', 'dev', ...args])).stdout);
    },
    async sendKeys(...keys) {
      await tmux(['send-keys', '-t', 'dev', ...keys]);
    },
    async kill() {
      await tmux(['kill-server']);
    },
  };
}

/** `'a' 'b c'` for tmux's shell command: the test's own arguments, quoted. */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => `'${a}'`).join(' ');
}

export interface TmuxSandbox {
  sts: FakeSts;
  sandbox: Sandbox;
  server: TmuxServer;
}

/**
 * Per test: a fake STS, a sandbox project for the built CLI pointed at it, and a private tmux server;
 * all torn down after the test. The returned object's fields are filled in before each test.
 */
export function useTmuxSandbox(stsOptions: Parameters<typeof FakeSts.start>[0] = {}): TmuxSandbox {
  const current = {} as TmuxSandbox;
  beforeEach(async () => {
    assertBuilt();
    current.sts = await FakeSts.start(stsOptions);
    current.sandbox = await createSandbox(current.sts.url);
    current.server = tmuxServer(current.sandbox.env);
  });
  afterEach(async () => {
    await current.server.kill();
    await current.sts.close();
    await current.sandbox.cleanup();
  });
  return current;
}

/** What a tmux test waits for, named first (it reads as the sentence the failure prints): `waitForValue`. */
export function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs?: number,
): Promise<T> {
  return waitForValue(probe, what, timeoutMs);
}
