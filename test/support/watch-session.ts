/**
 * The suite's one watch harness: runs the real built `cred-supervisor watch` (`dist/cli/main.cjs`, so
 * `npm run build` first) in a sandbox project (test/support/sandbox.ts): its own HOME, AWS config files
 * that do not exist, STS pointed at the loopback fake, stdin not a terminal. Collects what it prints
 * (raw bytes kept too), waits for output or status with a deadline (never a blind sleep), and kills
 * everything it started when the test is over: at the test's end (`onTestFinished`, or the `finished`
 * option in concurrent tests) and in `cleanUpWatchSessions` (the afterEach of `useWatchProject`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, onTestFinished } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import { readStateRecord } from '../../src/control/state-record.js';
import type { StatusSnapshot } from '../../src/control/status.js';
import { exportLines } from '../../src/demo/export-lines.js';
import { isProcessGone, isProcessGroupGone } from '../../src/process/liveness.js';
import { assertBuilt, CLI } from './built-cli.js';
import { FakeSts, type FakeStsKey } from './fake-sts.js';
import { descendants, procBytes } from './proc.js';
import { createSandbox, type Sandbox } from './sandbox.js';
import { waitUntil } from './wait-until.js';

export { assertBuilt, CLI, isProcessGone, waitUntil };

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const FAKE_CDK = path.join(FIXTURES, 'fake-cdk.mjs');
export const SDK_CHILD = path.join(FIXTURES, 'sdk-child.mjs');
/** `node fake-cdk.mjs`, by absolute paths: no PATH lookup, no shell. */
export const FAKE_CDK_COMMAND = [process.execPath, FAKE_CDK];
export const SDK_CHILD_COMMAND = [process.execPath, SDK_CHILD];

/** `aws configure export-credentials --format env` output for a key. */
export const envFileText: (key: FakeStsKey) => string = exportLines;

/** The sandbox a watch runs in (see test/support/sandbox.ts). */
export type WatchProject = Sandbox;

/** Where a supervisor runs: a sandbox, or any directory with its environment and state folder. */
export interface WatchPlace {
  dir: string;
  env: NodeJS.ProcessEnv;
  stateDir: string;
  logFile: string;
}

const projects: Sandbox[] = [];

/** A sandbox for `watch`: state folder made, region set, no instance metadata; removed by `cleanUpWatchSessions`. */
export async function createWatchProject(sts: FakeSts): Promise<WatchProject> {
  const project = await createSandbox(sts.url, {
    createStateDir: true,
    env: { AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
  });
  projects.push(project);
  return project;
}

/**
 * Registers a cleanup for the end of the test: vitest's `onTestFinished`, or the test context's own
 * (needed in concurrent tests, which the global hook cannot tell apart).
 */
export type Finished = (cleanup: () => void | Promise<void>) => void;

export interface StartWatchOptions {
  /** Flags between `watch` and `--`. */
  args?: string[];
  /** The command after `--`; `null` runs `watch` with `args` only (the default `cdk watch`, or `--` in `args`). */
  command?: string[] | null;
  /** Added to the project's environment (fake-cdk's FAKE_CDK_* options go here). */
  env?: NodeJS.ProcessEnv;
  /** Run as with `2>&1`: stderr is the same pipe as stdout (everything arrives on `stdout`). */
  mergeStderr?: boolean;
  stdin?: 'ignore' | 'pipe';
  /** Node options for the supervisor process itself (the soak's GC probe). */
  nodeArgs?: string[];
  /** Default: the global `onTestFinished` when called inside a test. */
  finished?: Finished;
}

/** The name the reliability tests knew the options by. */
export type WatchSessionOptions = StartWatchOptions;

export interface WatchExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the supervisor's process ended. */
  at: number;
}

/** What `waitFor` looks for in the output: text, a pattern, or any condition on it. */
export type OutputCondition = string | RegExp | ((output: string) => boolean);

export class WatchSession<P extends WatchPlace = WatchProject> {
  readonly process: ChildProcess;
  readonly exited: Promise<WatchExit>;
  private combined = '';
  private stdoutText = '';
  private stderrText = '';
  private readonly stdoutChunks: Buffer[] = [];
  private readonly stderrChunks: Buffer[] = [];
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly waiters = new Set<() => void>();
  private exit: WatchExit | undefined;
  /** Child process groups seen (log, state record, status): killed at cleanup whatever happened. */
  private readonly groups = new Set<number>();

  constructor(
    readonly project: P,
    options: StartWatchOptions,
  ) {
    const command = options.command === null ? [] : ['--', ...(options.command ?? [FAKE_CDK])];
    const argv = [...(options.nodeArgs ?? []), CLI, 'watch', ...(options.args ?? []), ...command];
    // `exec` keeps the pid: the shell becomes the supervisor, with fd 2 a copy of fd 1.
    const [file, args] = options.mergeStderr
      ? ['/bin/sh', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, ...argv]]
      : [process.execPath, argv];
    this.process = spawn(file, args, {
      cwd: project.dir,
      env: { ...project.env, ...options.env },
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    });
    this.process.stdout?.on('data', (chunk: Buffer) => {
      this.stdoutChunks.push(chunk);
      this.received('stdout', chunk);
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.stderrChunks.push(chunk);
      this.received('stderr', chunk);
    });
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

  get running(): boolean {
    return this.exit === undefined;
  }

  get stateDir(): string {
    return this.project.stateDir;
  }

  get logFile(): string {
    return this.project.logFile;
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

  /** stderr exactly as received, byte for byte. */
  get stderrBytes(): Buffer {
    return Buffer.concat(this.stderrChunks);
  }

  /** A position in `output`, to wait for something printed after it. */
  mark(): number {
    return this.combined.length;
  }

  /** The output after `since`, or all of it. */
  outputSince(since = 0): string {
    return this.combined.slice(since);
  }

  /** Resolves with the first match of `pattern` in the output after `from`; fails at the deadline. */
  async waitForOutput(
    pattern: RegExp,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<RegExpExecArray> {
    let match: RegExpExecArray | null = null;
    await this.waitFor(
      (output) => {
        match = pattern.exec(output);
        return match !== null;
      },
      { since: options.from ?? 0, timeoutMs: options.timeoutMs ?? 10_000, what: String(pattern) },
    );
    return match as unknown as RegExpExecArray;
  }

  /**
   * Resolves once the output after `since` holds `condition` (text, a pattern, or a predicate) with
   * what matched; fails with the output so far if the supervisor exits first or at the deadline.
   */
  waitFor(
    condition: OutputCondition,
    options?: { since?: number; timeoutMs?: number; what?: string },
  ): Promise<string>;
  /** The same, for a predicate named `what`. */
  waitFor(condition: (output: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  waitFor(
    condition: OutputCondition,
    optionsOrWhat: { since?: number; timeoutMs?: number; what?: string } | string = {},
    timeout?: number,
  ): Promise<string> {
    const options =
      typeof optionsOrWhat === 'string' ? { what: optionsOrWhat, timeoutMs: timeout } : optionsOrWhat;
    const since = options.since ?? 0;
    const timeoutMs = options.timeoutMs ?? 15_000;
    const what = options.what ?? String(condition);
    const find = (): string | undefined => {
      const text = this.combined.slice(since);
      if (typeof condition === 'string') return text.includes(condition) ? condition : undefined;
      if (condition instanceof RegExp) return condition.exec(text)?.[0];
      return condition(text) ? text : undefined;
    };
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          finish();
          resolve(found);
        } else if (this.exit) {
          finish();
          reject(this.failure(`the supervisor exited (${this.describeExit()}) before ${what}`, since));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(this.failure(`no ${what} within ${timeoutMs} ms`, since));
      }, timeoutMs);
      // A predicate may look at more than the output (the fake STS's requests, a process): poll it too.
      const poll = typeof condition === 'function' ? setInterval(check, 50) : undefined;
      const finish = () => {
        clearTimeout(timer);
        clearInterval(poll);
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

  signal(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }

  /** SIGINT (Ctrl+C), then the exit code. */
  async interrupt(timeoutMs = 10_000): Promise<number | null> {
    this.recordedChildGroup();
    this.kill('SIGINT');
    return (await this.waitForExit(timeoutMs)).code;
  }

  /** The supervisor's status, asked over its control socket (what `cred-supervisor status` reads). */
  async status(): Promise<StatusSnapshot> {
    const snapshot = await requestStatus(this.project.stateDir, { timeoutMs: 5000 });
    if (snapshot.child.pid !== null) this.groups.add(snapshot.child.pid);
    return snapshot;
  }

  /** Polls the control socket until `predicate` holds for the status. */
  async waitForStatus(
    predicate: (status: StatusSnapshot) => boolean,
    what: string,
    timeoutMs = 15_000,
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

  /** The child's process group as recorded in the state dir (null when no child runs). */
  recordedChildGroup(): number | null {
    const pgid = readStateRecord(this.project.stateDir)?.childPgid ?? null;
    if (pgid !== null) this.groups.add(pgid);
    return pgid;
  }

  /** The supervisor's log file as text ('' before it exists). */
  log(): Promise<string> {
    return readFile(this.project.logFile, 'utf8').catch(() => '');
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
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Every child pid the supervisor started (each leads its own process group). */
  childPids(): number[] {
    return this.logEntries()
      .filter((entry) => entry.event === 'child-started' && typeof entry.childPid === 'number')
      .map((entry) => entry.childPid as number);
  }

  /** SIGKILLs the supervisor, every child group it started and every descendant left; waits for them. */
  async stop(): Promise<void> {
    const left = this.running ? descendants(this.pid) : [];
    this.recordedChildGroup();
    for (const pid of this.childPids()) this.groups.add(pid);
    this.kill('SIGKILL');
    await this.exited;
    for (const pgid of this.groups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
    }
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    await waitUntil(
      () => [...this.groups].every((g) => isProcessGroupGone(g)) && left.every((pid) => isProcessGone(pid)),
      'the test child processes to be gone',
      5000,
    ).catch(() => {});
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

  private failure(what: string, since = 0): Error {
    const tail = this.combined.slice(since).slice(-4000);
    return new Error(`Expected cred-supervisor watch: ${what}. Output so far:\n${tail}`);
  }
}

const sessions = new Set<WatchSession<WatchPlace>>();

function atTestEnd(cleanup: () => Promise<void>, finished: Finished | undefined): void {
  if (finished) {
    finished(cleanup);
    return;
  }
  try {
    onTestFinished(cleanup);
  } catch {
    // Started outside a test (a hook): `cleanUpWatchSessions` stops it.
  }
}

/** Starts `cred-supervisor watch` in `project`; it and all it started are killed at the test's end. */
export function startWatch<P extends WatchPlace = WatchProject>(
  project: P,
  options: StartWatchOptions = {},
): WatchSession<P> {
  const session = new WatchSession(project, options);
  sessions.add(session);
  atTestEnd(async () => {
    sessions.delete(session);
    await session.stop();
  }, options.finished);
  return session;
}

/**
 * Asserts that no secret the fake STS issued (secret key, session token) nor the endpoint's token
 * appears in anything a session printed or logged.
 */
export function assertNoSecretsLeaked(sts: FakeSts, session: WatchSession<WatchPlace>): void {
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
  await Promise.all([...sessions].map((session) => session.stop()));
  sessions.clear();
  await Promise.all(projects.splice(0).map((project) => rm(project.dir, { recursive: true, force: true })));
}

/** Whether a process still exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  return !isProcessGone(pid);
}

/** True once nothing of the group is left running. */
export function groupGone(pgid: number): boolean {
  return isProcessGroupGone(pgid);
}

/** A schedule that does not fire during a test (once a year), so no probe runs unless asked for. */
export const NO_PROBES = '0 0 1 1 *';

/** The prompt wraps its lines: compare with single spaces. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * The hooks every watch e2e file needs: the CLI built, a fresh fake STS and temp project per test,
 * every session and the STS stopped after it. Read `sts` and `project` inside the tests, or have
 * `onEach` hand them to the file's own variables before each test.
 */
export function useWatchProject(
  onEach?: (context: { sts: FakeSts; project: WatchProject }) => void | Promise<void>,
): {
  readonly sts: FakeSts;
  readonly project: WatchProject;
} {
  const context = {} as { sts: FakeSts; project: WatchProject };
  beforeAll(assertBuilt);
  beforeEach(async () => {
    context.sts = await FakeSts.start();
    context.project = await createWatchProject(context.sts);
    await onEach?.(context);
  });
  afterEach(async () => {
    await cleanUpWatchSessions();
    await context.sts.close();
  });
  return context;
}

/** A fake STS on loopback, closed at the end of the test. */
export async function startFakeSts(finished: Finished = onTestFinished): Promise<FakeSts> {
  const sts = await FakeSts.start();
  finished(() => sts.close());
  return sts;
}

/** A sandbox whose STS is `stsUrl`, with no instance metadata service; removed at the end of the test. */
export async function reliabilitySandbox(
  stsUrl: string,
  finished: Finished = onTestFinished,
): Promise<Sandbox> {
  assertBuilt();
  const sandbox = await createSandbox(stsUrl, { env: { AWS_EC2_METADATA_DISABLED: 'true' } });
  finished(() => sandbox.cleanup());
  return sandbox;
}

/** Writes the credentials file as `aws configure export-credentials --format env` would, mode 600. */
export function writeKey(sandbox: Sandbox, key: FakeStsKey, file = sandbox.credentialsFile): Promise<void> {
  return sandbox.writeCredentials(key, file);
}

/** Replaces the credentials file by an atomic rename, the way editors and careful scripts write. */
export function renameKeyInto(
  sandbox: Sandbox,
  key: FakeStsKey,
  file = sandbox.credentialsFile,
): Promise<void> {
  return sandbox.writeCredentials(key, { file, atomic: true });
}

/** A fake STS, a sandbox and a fresh key in the sandbox's credentials file; all gone after the test. */
export async function sandboxWithKey(finished: Finished = onTestFinished) {
  const sts = await startFakeSts(finished);
  const sandbox = await reliabilitySandbox(sts.url, finished);
  await writeKey(sandbox, sts.issueKey());
  return { sts, sandbox };
}

/** The pids fake-cdk wrote to FAKE_CDK_PID_FILE. */
export async function readPidFile(file: string): Promise<{
  pid: number;
  grandchildPid?: number;
  escapedPid?: number;
}> {
  await waitUntil(
    () =>
      readFile(file, 'utf8').then(
        () => true,
        () => false,
      ),
    `the pid file ${file}`,
  );
  return JSON.parse(await readFile(file, 'utf8'));
}

/**
 * Starts `watch` over fake-cdk, which writes its pid to a file and prints CHILD-READY once set up;
 * resolves once it has, with the child's pid and the pid file (removed and re-read to see a restart).
 */
export async function startWatchWithReadyChild(sandbox: Sandbox, options: StartWatchOptions = {}) {
  const pidFile = path.join(sandbox.dir, 'pids.json');
  const watch = startWatch(sandbox, {
    ...options,
    env: { FAKE_CDK_PID_FILE: pidFile, FAKE_CDK_READY_MARKER: 'CHILD-READY', ...options.env },
  });
  await watch.waitFor('CHILD-READY');
  const { pid } = await readPidFile(pidFile);
  return { watch, childPid: pid, pidFile };
}

/** The credential endpoint's port, read where an SDK child reads it: its environment. */
export function endpointPortOf(childPid: number): number {
  const variable = procBytes(childPid, 'environ')
    .toString()
    .split('\0')
    .find((entry) => entry.startsWith('AWS_CONTAINER_CREDENTIALS_FULL_URI='));
  if (!variable)
    throw new Error(`Expected the SDK child ${childPid} to have the endpoint URL in its environment`);
  return Number(new URL(variable.slice(variable.indexOf('=') + 1)).port);
}
