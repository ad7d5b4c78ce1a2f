/**
 * Starting and stopping the processes a benchmark measures. Every process started here gets its own
 * process group and is remembered, so a benchmark that fails (or a Ctrl+C) still ends all of them,
 * by their own group ids and nothing else.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliPath } from './dist.mjs';

const started = new Set();

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs the group of every process started here that is still running. */
export function killAllStarted() {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) signalGroup(child.pid, 'SIGKILL');
  }
  started.clear();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllStarted();
    process.exit(130);
  });
}
process.once('exit', killAllStarted);

/** `child_process.spawn` in a new process group, remembered for clean-up. */
export function startProcess(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true });
  started.add(child);
  child.once('exit', () => started.delete(child));
  child.exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  return child;
}

/**
 * Sends `signal` to the process's group and waits for the leader to exit; after `timeoutMs`, SIGKILL.
 * Resolves with the exit code or signal name.
 */
export async function stopProcess(child, { signal = 'SIGTERM', timeoutMs = 10_000 } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
  signalGroup(child.pid, signal);
  const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), timeoutMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `predicate` every `pollMs` until it returns something truthy, which is returned. */
export async function waitFor(predicate, { timeoutMs = 10_000, pollMs = 5, what = 'a condition' } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(pollMs);
  }
}

/**
 * Collects a stream's lines. `next(regex)` resolves with the match of the first line, seen from the
 * last call's position on, that matches; lines before it are passed over. `all` keeps every line
 * with the `process.hrtime.bigint()` it was read at.
 */
export function collectLines(stream, { keep = 10_000 } = {}) {
  const all = [];
  let cursor = 0;
  const waiters = new Set();
  const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const settle = () => {
    for (const waiter of [...waiters]) waiter();
  };
  reader.on('line', (text) => {
    all.push({ text, at: process.hrtime.bigint() });
    if (all.length > keep) {
      const drop = all.length - keep;
      all.splice(0, drop);
      cursor = Math.max(0, cursor - drop);
    }
    settle();
  });
  let closed = false;
  reader.on('close', () => {
    closed = true;
    settle();
  });
  return {
    all,
    next(regex, { timeoutMs = 15_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          while (cursor < all.length) {
            const line = all[cursor++];
            const match = regex.exec(line.text);
            if (match) {
              done();
              resolve(Object.assign(match, { at: line.at }));
              return;
            }
          }
          if (closed) {
            done();
            reject(new Error(`The stream ended before a line matched ${regex}.\n${tail(all)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`No line matched ${regex} within ${timeoutMs} ms.\n${tail(all)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

function tail(lines) {
  return `Last lines:\n${lines
    .slice(-15)
    .map((l) => `  ${l.text}`)
    .join('\n')}`;
}

/**
 * Starts `cred-supervisor watch [args] -- command...` in `project` (without `command`: `watch [args]`,
 * e.g. `--procfile FILE`). Its stderr (the supervisor's own
 * lines, and the child's stderr) is collected as lines; its stdout too, unless `stdout: 'pipe'` asks
 * for the raw stream (then read `supervisor.process.stdout` yourself).
 */
export function startSupervisor(project, { args = [], command, env = {}, stdout = 'lines' }) {
  const child = startProcess(
    process.execPath,
    [cliPath, 'watch', ...args, ...(command ? ['--', ...command] : [])],
    {
      cwd: project.dir,
      env: { ...project.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return {
    process: child,
    pid: child.pid,
    stdout: stdout === 'lines' ? collectLines(child.stdout) : undefined,
    stderr: collectLines(child.stderr),
    stop: (options) => stopProcess(child, options),
  };
}

/**
 * Runs a command to completion (without blocking this process, which may be serving it) and times it
 * from the spawn call to the exit with all output read: `{ ms, code, output }`.
 */
export function timeCommand(command, args, { env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const startedAt = process.hrtime.bigint();
    const child = startProcess(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ ms: Number(process.hrtime.bigint() - startedAt) / 1e6, code, output }),
    );
  });
}
