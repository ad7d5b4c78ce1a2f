/**
 * Runs the real built `cred-supervisor watch` (`dist/cli/main.js`, so `npm run build` first) in a temp
 * project: its own HOME, AWS config files that do not exist, STS pointed at the loopback fake, stdin
 * not a terminal. Collects what it prints, waits for output with a deadline (never a blind sleep), and
 * kills everything it started when the test is over (`cleanUpWatchSessions` in an afterEach).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import type { StatusSnapshot } from '../../src/control/status.js';
import { exportLines } from '../../src/demo/export-lines.js';
import { isProcessGone, isProcessGroupGone } from '../../src/process/liveness.js';
import { FakeSts, type FakeStsKey } from './fake-sts.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));
export const SDK_CHILD = fileURLToPath(new URL('../fixtures/sdk-child.mjs', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`Expected the built CLI at ${CLI}; run \`npm run build\` first.`);
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${described}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `aws configure export-credentials --format env` output for a key. */
export const envFileText: (key: FakeStsKey) => string = exportLines;

export interface WatchProject {
  dir: string;
  home: string;
  stateDir: string;
  /** The default credentials file. */
  credentialsFile: string;
  logFile: string;
  /** The supervisor's whole environment (nothing inherited but PATH). */
  env: Record<string, string>;
  /** Writes the credentials file (mode 600): a key in env-lines form, or raw text. */
  writeCredentials(content: FakeStsKey | string, options?: { atomic?: boolean }): Promise<void>;
}

const projects: string[] = [];

export async function createWatchProject(sts: FakeSts): Promise<WatchProject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-watch-'));
  projects.push(dir);
  const home = path.join(dir, 'home');
  const stateDir = path.join(dir, '.cred-supervisor');
  await mkdir(home);
  await mkdir(stateDir, { mode: 0o700 });
  const credentialsFile = path.join(stateDir, 'credentials');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: path.join(dir, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-such-aws-credentials'),
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return {
    dir,
    home,
    stateDir,
    credentialsFile,
    logFile: path.join(stateDir, 'supervisor.log'),
    env,
    async writeCredentials(content, options = {}) {
      const text = typeof content === 'string' ? content : envFileText(content);
      if (!options.atomic) {
        await writeFile(credentialsFile, text, { mode: 0o600 });
        await chmod(credentialsFile, 0o600);
        return;
      }
      // What editors and `mv` do: the new content appears under the name in one step.
      const temp = path.join(stateDir, `.credentials.${process.pid}.${Date.now()}.tmp`);
      await writeFile(temp, text, { mode: 0o600 });
      await chmod(temp, 0o600);
      await rename(temp, credentialsFile);
    },
  };
}

export interface StartWatchOptions {
  /** Flags between `watch` and `--`. */
  args?: string[];
  /** The command after `--`; `null` runs `watch` without one (the default `cdk watch`). */
  command?: string[] | null;
  /** Added to the project's environment (fake-cdk's FAKE_CDK_* options go here). */
  env?: Record<string, string>;
  /** Run as with `2>&1`: stderr is the same pipe as stdout (everything arrives on `stdout`). */
  mergeStderr?: boolean;
}

export interface WatchExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the supervisor's process ended. */
  at: number;
}

export class WatchSession {
  readonly process: ChildProcess;
  readonly exited: Promise<WatchExit>;
  private combined = '';
  private stdoutText = '';
  private stderrText = '';
  private readonly stdoutChunks: Buffer[] = [];
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly waiters = new Set<() => void>();
  private exit: WatchExit | undefined;

  constructor(
    readonly project: WatchProject,
    options: StartWatchOptions,
  ) {
    const command = options.command === null ? [] : ['--', ...(options.command ?? [FAKE_CDK])];
    const argv = [CLI, 'watch', ...(options.args ?? []), ...command];
    // `exec` keeps the pid: the shell becomes the supervisor, with fd 2 a copy of fd 1.
    const [file, args] = options.mergeStderr
      ? ['/bin/sh', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, ...argv]]
      : [process.execPath, argv];
    this.process = spawn(file, args, {
      cwd: project.dir,
      env: { ...project.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout?.on('data', (chunk: Buffer) => {
      this.stdoutChunks.push(chunk);
      this.received('stdout', chunk);
    });
    this.process.stderr?.on('data', (chunk: Buffer) => this.received('stderr', chunk));
    this.exited = new Promise((resolve) => {
      this.process.once('close', (code, signal) => {
        this.exit = { code, signal, at: Date.now() };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    if (this.process.pid === undefined) throw new Error('Expected the supervisor to have a pid, got none');
    return this.process.pid;
  }

  /** stdout and stderr as they arrived (one string; the order across the two pipes is approximate). */
  get output(): string {
    return this.combined;
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** stdout exactly as received, byte for byte. */
  get stdoutBytes(): Buffer {
    return Buffer.concat(this.stdoutChunks);
  }

  /** A position in `output`, to wait for something printed after it. */
  mark(): number {
    return this.combined.length;
  }

  /** Resolves with the first match of `pattern` in the output after `from`; fails at the deadline. */
  waitForOutput(
    pattern: RegExp,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<RegExpExecArray> {
    const from = options.from ?? 0;
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.combined.slice(from));
        if (match) {
          finish();
          resolve(match);
        } else if (this.exit) {
          finish();
          reject(this.failure(`the supervisor exited (${this.describeExit()}) before printing ${pattern}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(this.failure(`no ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The exit, or a failure showing the output if the supervisor is still running at the deadline. */
  waitForExit(timeoutMs = 10_000): Promise<WatchExit> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(this.failure(`still running ${timeoutMs} ms later, expected it to exit`)),
        timeoutMs,
      );
    });
    return Promise.race([this.exited, deadline]).finally(() => clearTimeout(timer));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.exit) this.process.kill(signal);
  }

  /** The supervisor's status, asked over its control socket (what `cred-supervisor status` reads). */
  status(): Promise<StatusSnapshot> {
    return requestStatus(this.project.stateDir, { timeoutMs: 3000 });
  }

  /** Polls the control socket until `predicate` holds for the status. */
  async waitForStatus(
    predicate: (status: StatusSnapshot) => boolean,
    what: string,
    timeoutMs = 10_000,
  ): Promise<StatusSnapshot> {
    let last: StatusSnapshot | Error | undefined;
    await waitUntil(
      async () => {
        last = await this.status().catch((error: Error) => error);
        return !(last instanceof Error) && predicate(last);
      },
      () => `${what} (last status: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
      timeoutMs,
      50,
    );
    return last as StatusSnapshot;
  }

  /** The JSON lines of the supervisor's log file. */
  logEntries(): Record<string, unknown>[] {
    let text = '';
    try {
      text = readFileSync(this.project.logFile, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Every child pid the supervisor started (each leads its own process group). */
  childPids(): number[] {
    return this.logEntries()
      .filter((entry) => entry.event === 'child-started' && typeof entry.childPid === 'number')
      .map((entry) => entry.childPid as number);
  }

  private received(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    // One decoder per pipe: a UTF-8 character split across two reads is not mangled.
    const text = this.decoders[stream].write(chunk);
    this.combined += text;
    if (stream === 'stdout') this.stdoutText += text;
    else this.stderrText += text;
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private describeExit(): string {
    return this.exit?.signal ? `signal ${this.exit.signal}` : `code ${this.exit?.code}`;
  }

  private failure(what: string): Error {
    const tail = this.combined.slice(-3000);
    return new Error(`Expected cred-supervisor watch: ${what}. Output so far:\n${tail}`);
  }
}

const sessions = new Set<WatchSession>();

export function startWatch(project: WatchProject, options: StartWatchOptions = {}): WatchSession {
  const session = new WatchSession(project, options);
  sessions.add(session);
  return session;
}

/**
 * Asserts that no secret the fake STS issued (secret key, session token) nor the endpoint's token
 * appears in anything a session printed or logged.
 */
export function assertNoSecretsLeaked(sts: FakeSts, session: WatchSession): void {
  const secrets: string[] = [];
  for (const key of sts.keys.values()) {
    secrets.push(key.secretAccessKey);
    if (key.sessionToken) secrets.push(key.sessionToken);
  }
  const places = {
    output: session.output,
    log: JSON.stringify(session.logEntries()),
  };
  for (const [where, text] of Object.entries(places)) {
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`A secret reached the supervisor's ${where}.`);
    }
  }
}

/** Kills every supervisor and child group the test started (SIGKILL), then removes the projects. */
export async function cleanUpWatchSessions(): Promise<void> {
  const groups = new Set<number>();
  for (const session of sessions) {
    for (const pid of session.childPids()) groups.add(pid);
    session.kill('SIGKILL');
  }
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
  await Promise.all([...sessions].map((s) => s.exited));
  await waitUntil(
    () => [...groups].every((g) => isProcessGroupGone(g)),
    'the test child groups to be gone',
    5000,
  ).catch(() => {});
  sessions.clear();
  await Promise.all(projects.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Whether a process still exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  return !isProcessGone(pid);
}

/** A schedule that does not fire during a test (once a year), so no probe runs unless asked for. */
export const NO_PROBES = '0 0 1 1 *';

/** The prompt wraps its lines: compare with single spaces. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * The hooks every watch e2e file needs: the CLI built, a fresh fake STS and temp project per test,
 * every session and the STS stopped after it. Read `sts` and `project` inside the tests.
 */
export function useWatchProject(): { readonly sts: FakeSts; readonly project: WatchProject } {
  const context = {} as { sts: FakeSts; project: WatchProject };
  beforeAll(assertBuilt);
  beforeEach(async () => {
    context.sts = await FakeSts.start();
    context.project = await createWatchProject(context.sts);
  });
  afterEach(async () => {
    await cleanUpWatchSessions();
    await context.sts.close();
  });
  return context;
}
