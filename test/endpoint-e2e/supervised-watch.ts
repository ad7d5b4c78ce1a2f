/**
 * Runs the real built `cred-supervisor watch` (dist/cli/main.js) as a long-running process, collects
 * its output, and answers the questions the endpoint e2e tests ask: what it printed, what
 * `status --json` says, which process group its child runs in, and whether anything of it survives.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import { readStateRecord } from '../../src/control/state-record.js';
import type { StatusSnapshot } from '../../src/control/status.js';
import { CLI } from '../cli/built-cli.js';

export interface SupervisedWatch {
  process: ChildProcess;
  /** stdout and stderr as received, interleaved; the child's output passes through unchanged. */
  output(): string;
  /**
   * Resolves once `predicate(output)` holds (it may look at anything else too); fails with the
   * output so far after `timeoutMs`, or as soon as the supervisor exits without it holding.
   */
  waitFor(predicate: (output: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /**
   * What `cred-supervisor status --json` prints, asked over the running supervisor's control socket
   * (the same request the `status` command sends).
   */
  status(): Promise<StatusSnapshot>;
  /** The child's process group as recorded in the state dir (null when no child runs). */
  recordedChildGroup(): number | null;
  /** The supervisor's JSON log lines so far (`--log-level debug` logs every transition). */
  logEvents(): LogEvent[];
  /** SIGINT, then waits for the exit; resolves with the exit code. */
  interrupt(timeoutMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/** One pino line of the supervisor's log; `event` names what happened. */
export interface LogEvent {
  time: string;
  msg: string;
  event?: string;
  [field: string]: unknown;
}

export interface StartWatchOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Everything after `watch`: options, `--`, the command. */
  args: string[];
  stateDir?: string;
}

/** Polls `condition` every 50 ms until it holds; throws `what` with `detail()` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Live processes (not zombies) whose command line mentions `dir` or whose working directory is
 * inside it: what a test's temp project would leave behind.
 */
export function processesUnder(dir: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // A process of another user, or one that just exited.
      }
      if (cmdline.includes(dir) || cwd === dir || cwd.startsWith(`${dir}${path.sep}`)) {
        found.push({ pid: Number(entry), cmdline });
      }
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

export function startWatch(options: StartWatchOptions): SupervisedWatch {
  const stateDir = options.stateDir ?? path.join(options.cwd, '.cred-supervisor');
  const child = spawn(process.execPath, [CLI, 'watch', ...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const groups = new Set<number>();
  const recordedChildGroup = () => {
    const pgid = readStateRecord(stateDir)?.childPgid ?? null;
    if (pgid !== null) groups.add(pgid);
    return pgid;
  };

  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8_000)),
      ]);
      if (!stopped) child.kill('SIGKILL');
      await exited;
    }
    // Never leave a child group behind, whatever the test did.
    recordedChildGroup();
    for (const pgid of groups) if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  });

  const watch: SupervisedWatch = {
    process: child,
    exited,
    output: () => text,
    async waitFor(predicate, what, timeoutMs = 15_000) {
      await Promise.race([
        until(
          () => predicate(text),
          what,
          timeoutMs,
          () => `Output so far:\n${text}`,
        ),
        exited.then((code) => {
          if (!predicate(text)) {
            throw new Error(`cred-supervisor exited (${code}) before ${what}. Output:\n${text}`);
          }
        }),
      ]);
    },
    async status() {
      const snapshot = await requestStatus(stateDir);
      if (snapshot.child.pid !== null) groups.add(snapshot.child.pid);
      return snapshot;
    },
    recordedChildGroup,
    logEvents() {
      let lines: string[];
      try {
        lines = readFileSync(path.join(stateDir, 'supervisor.log'), 'utf8').split('\n');
      } catch {
        return [];
      }
      return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogEvent);
    },
    async interrupt(timeoutMs = 10_000) {
      recordedChildGroup();
      child.kill('SIGINT');
      return Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(
            () =>
              reject(new Error(`cred-supervisor did not exit within ${timeoutMs} ms of SIGINT.\n${text}`)),
            timeoutMs,
          ).unref(),
        ),
      ]);
    },
  };
  return watch;
}
