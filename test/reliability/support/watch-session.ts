/**
 * `cred-supervisor watch` as a person runs it: the real built executable (`npm run build` first) in a
 * sandbox directory with its own HOME, no AWS config files, and STS pointed at the loopback fake. The
 * test reads what it prints (raw bytes kept too), waits for text instead of sleeping, asks its status
 * over the control socket, and signals it. Whatever happens, everything it started is killed at the end
 * of the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { isProcessGone, isProcessGroupGone } from '../../../src/child/process-liveness.js';
import { requestStatus } from '../../../src/control/control-client.js';
import type { StatusSnapshot as StatusJson } from '../../../src/control/status.js';
import { assertBuilt, CLI, createSandbox, envLines, type Sandbox } from '../../cli/built-cli.js';
import { FakeSts, type FakeStsKey } from '../../support/fake-sts.js';
import { descendants, procBytes, waitUntil } from './proc.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const FAKE_CDK = path.join(FIXTURES, 'fake-cdk.mjs');
export const SDK_CHILD = path.join(FIXTURES, 'sdk-child.mjs');
/** `node fake-cdk.mjs`, by absolute paths: no PATH lookup, no shell. */
export const FAKE_CDK_COMMAND = [process.execPath, FAKE_CDK];
export const SDK_CHILD_COMMAND = [process.execPath, SDK_CHILD];

/**
 * Registers a cleanup for the end of the test: vitest's `onTestFinished`, or the test context's own
 * (needed in concurrent tests, which the global hook cannot tell apart).
 */
export type Finished = (cleanup: () => void | Promise<void>) => void;

export interface WatchSessionOptions {
  /** Default: the global `onTestFinished`. */
  finished?: Finished;
  /** Flags before `--` (e.g. `--delivery env`). `--check-schedule` etc. are the caller's choice. */
  flags?: string[];
  command?: string[];
  /** Added to the sandbox environment (the child inherits it, minus what delivery removes). */
  env?: NodeJS.ProcessEnv;
  /** Reuse a sandbox (a second supervisor in the same directory). */
  sandbox?: Sandbox;
  stdin?: 'ignore' | 'pipe';
  /** Node options for the supervisor process itself (the soak's GC probe). */
  nodeArgs?: string[];
}

export interface WatchExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class WatchSession {
  readonly stdoutChunks: Buffer[] = [];
  readonly stderrChunks: Buffer[] = [];
  /** stdout and stderr together, in arrival order, decoded as UTF-8 (for waiting and matching). */
  private all = '';
  readonly exited: Promise<WatchExit>;
  private exit: WatchExit | undefined;

  constructor(
    readonly process: ChildProcess,
    readonly sandbox: Sandbox,
  ) {
    process.stdout?.on('data', (chunk: Buffer) => {
      this.stdoutChunks.push(chunk);
      this.all += chunk.toString('utf8');
    });
    process.stderr?.on('data', (chunk: Buffer) => {
      this.stderrChunks.push(chunk);
      this.all += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) =>
      process.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.process.pid!;
  }

  get stateDir(): string {
    return path.join(this.sandbox.dir, '.cred-supervisor');
  }

  get logFile(): string {
    return path.join(this.stateDir, 'supervisor.log');
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Everything printed so far (both streams). */
  output(): string {
    return this.all;
  }

  stdout(): Buffer {
    return Buffer.concat(this.stdoutChunks);
  }

  stderr(): Buffer {
    return Buffer.concat(this.stderrChunks);
  }

  /** A position in the output: `waitFor(…, { since })` only looks at what came after it. */
  mark(): number {
    return this.all.length;
  }

  /** The output after `since`, or all of it. */
  outputSince(since = 0): string {
    return this.all.slice(since);
  }

  /** Resolves once `pattern` appears after `since`; fails with the output so far if it exits or times out. */
  async waitFor(
    pattern: string | RegExp,
    options: { since?: number; timeoutMs?: number } = {},
  ): Promise<string> {
    const since = options.since ?? 0;
    const find = () => {
      const text = this.all.slice(since);
      if (typeof pattern === 'string') return text.includes(pattern) ? pattern : undefined;
      return pattern.exec(text)?.[0];
    };
    try {
      await waitUntil(
        () => {
          if (find() !== undefined) return true;
          if (!this.running) throw new Error(`watch exited (${JSON.stringify(this.exit)}) first`);
          return false;
        },
        `${String(pattern)} in the supervisor's output`,
        options.timeoutMs ?? 15_000,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- output since mark ---\n${this.tail(since)}`);
    }
    return find()!;
  }

  /** The status `cred-supervisor status --json` reports, asked over the same control socket. */
  status(): Promise<StatusJson> {
    return requestStatus(this.stateDir, { timeoutMs: 5000 });
  }

  async waitForStatus(
    predicate: (status: StatusJson) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<StatusJson> {
    let last: StatusJson | undefined;
    await waitUntil(
      async () => {
        last = await this.status().catch(() => undefined);
        return last !== undefined && predicate(last);
      },
      `status: ${what} (last: ${JSON.stringify(last)})`,
      timeoutMs,
      100,
    );
    return last!;
  }

  signal(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }

  log(): Promise<string> {
    return readFile(this.logFile, 'utf8').catch(() => '');
  }

  /** The last 4000 characters after `since`, for failure messages. */
  private tail(since: number): string {
    return this.all.slice(since).slice(-4000);
  }
}

/** A fake STS on loopback, closed at the end of the test. */
export async function startFakeSts(finished: Finished = onTestFinished): Promise<FakeSts> {
  const sts = await FakeSts.start();
  finished(() => sts.close());
  return sts;
}

/** A sandbox whose STS is `stsUrl`; removed at the end of the test. */
export async function reliabilitySandbox(
  stsUrl: string,
  finished: Finished = onTestFinished,
): Promise<Sandbox> {
  assertBuilt();
  const sandbox = await createSandbox(stsUrl);
  // The SDK child must never wander off to an instance metadata service.
  sandbox.env.AWS_EC2_METADATA_DISABLED = 'true';
  finished(() => sandbox.cleanup());
  return sandbox;
}

/**
 * Starts `cred-supervisor watch` with `stdin` ignored (not a terminal: no keys, `fatal` exits).
 * At the end of the test it and every process it started are SIGKILLed if still alive, escaped ones
 * aside (the tests that make them kill them).
 */
export function startWatch(sandbox: Sandbox, options: WatchSessionOptions = {}): WatchSession {
  const command = options.command ?? FAKE_CDK_COMMAND;
  const args = [...(options.nodeArgs ?? []), CLI, 'watch', ...(options.flags ?? []), '--', ...command];
  const child = spawn(process.execPath, args, {
    cwd: sandbox.dir,
    env: { ...sandbox.env, ...options.env },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const session = new WatchSession(child, sandbox);
  (options.finished ?? onTestFinished)(async () => {
    const left = session.running ? descendants(session.pid) : [];
    if (session.running) session.signal('SIGKILL');
    await session.exited;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    await waitUntil(() => left.every((pid) => isProcessGone(pid)), 'leftover processes to die', 5000).catch(
      () => {},
    );
  });
  return session;
}

/** Writes the credentials file as `aws configure export-credentials --format env` would, mode 600. */
export async function writeKey(sandbox: Sandbox, key: FakeStsKey, file = sandbox.credentialsFile) {
  await sandbox.writeCredentials(envLines(key), file);
}

/** Replaces the credentials file by an atomic rename, the way editors and careful scripts write. */
export async function renameKeyInto(sandbox: Sandbox, key: FakeStsKey, file = sandbox.credentialsFile) {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, `${envLines(key).join('\n')}\n`, { mode: 0o600 });
  await rename(temp, file);
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

/** True once nothing of the group is left running. */
export function groupGone(pgid: number): boolean {
  return isProcessGroupGone(pgid);
}

export { isProcessGone };

/** A fake STS, a sandbox and a fresh key in the sandbox's credentials file; all gone after the test. */
export async function sandboxWithKey(finished: Finished = onTestFinished) {
  const sts = await startFakeSts(finished);
  const sandbox = await reliabilitySandbox(sts.url, finished);
  await writeKey(sandbox, sts.issueKey());
  return { sts, sandbox };
}

/**
 * Starts `watch` over fake-cdk, which writes its pid to a file and prints CHILD-READY once set up;
 * resolves once it has, with the child's pid and the pid file (removed and re-read to see a restart).
 */
export async function startWatchWithReadyChild(sandbox: Sandbox, options: WatchSessionOptions = {}) {
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
