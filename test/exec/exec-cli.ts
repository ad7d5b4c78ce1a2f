/**
 * Runs `cred-supervisor exec` from the built CLI as a live process, so a test can read its output
 * while it runs, send it signals and write to its stdin.
 */

import { execa, type ResultPromise } from 'execa';
import { onTestFinished } from 'vitest';
import { CLI } from '../support/built-cli.js';
import { descendants } from '../support/proc.js';
import type { Sandbox } from '../support/sandbox.js';

export interface LiveExec {
  process: ResultPromise<{ buffer: false; reject: false; stdin: 'pipe' }>;
  /** Everything printed so far on stdout / stderr. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once `predicate(stdout, stderr)` holds; fails with the output so far after `timeoutMs`. */
  waitFor(predicate: (stdout: string, stderr: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code once the CLI has exited. */
  exited: Promise<number>;
}

export function startExec(sandbox: Sandbox, args: string[], extraEnv: NodeJS.ProcessEnv = {}): LiveExec {
  const subprocess = execa(process.execPath, [CLI, 'exec', ...args], {
    cwd: sandbox.dir,
    env: { ...sandbox.env, ...extraEnv },
    extendEnv: false,
    reject: false,
    buffer: false,
    stdin: 'pipe',
    timeout: 30_000,
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  subprocess.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  subprocess.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  const exited = subprocess.then((result) => result.exitCode ?? 128 + 9);
  let done = false;
  void exited.then(() => {
    done = true;
    notify();
  });
  onTestFinished(async () => {
    // The child and its children hold the output pipes open: killing exec alone never ends `exited`.
    const left = !done && subprocess.pid !== undefined ? descendants(subprocess.pid) : [];
    if (!done) subprocess.kill('SIGKILL');
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    await exited;
  });

  return {
    process: subprocess,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(stdout, stderr)) {
            cleanup();
            resolve();
          } else if (done) {
            cleanup();
            reject(
              new Error(`exec exited before the condition held.\nstdout:\n${stdout}\nstderr:\n${stderr}`),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out after ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
