import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';

export type ChildStreamName = 'stdout' | 'stderr';

/** Where the child's bytes go. A Node `Writable` fits; so does `ConsoleMux.sink(stream)`. */
export interface OutputSink {
  /** Returns false when the sink wants us to wait for `drain` (the child is then paused, not buffered). */
  write(chunk: Uint8Array): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export interface ChildExit {
  /** The leader's exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnChildOptions {
  /** An executable path, as `resolveCommand()` returns it. Never a shell string. */
  file: string;
  args: readonly string[];
  cwd?: string;
  /** The child's COMPLETE environment: nothing of ours is added (the caller cleans AWS variables). */
  env: Readonly<Record<string, string | undefined>>;
  /** `ignore` (default): keys typed in the terminal stay with the supervisor. */
  stdin?: 'ignore' | 'inherit';
  stdout: OutputSink;
  stderr: OutputSink;
  /** Sees every chunk, as given to the sink, after it was written there (the detector's tap). */
  onOutput?: (chunk: Uint8Array, stream: ChildStreamName) => void;
  /** Called when `onOutput` throws; the output keeps flowing. Default: a process warning. */
  onOutputError?: (error: unknown) => void;
  /**
   * Called once the child's process group exists but before the command runs in it: the place to
   * record the group and arm the watchdog, so there is no moment when the command runs unguarded.
   * The child waits in a tiny `sh` that execs the command only when this has returned; if we die
   * first, its gate pipe closes and it exits without running anything. If this throws, the waiting
   * child is killed and `spawnChild` rejects with the error.
   */
  beforeRun?: (group: { pid: number; pgid: number }) => void | Promise<void>;
}

export interface ChildHandle {
  readonly pid: number;
  /** The child's process group: its own pid, as it was spawned detached (a new session). */
  readonly pgid: number;
  readonly startedAt: Date;
  /**
   * Resolves when the leader exits. Never rejects. Other group members may still be running and the
   * last chunks may still be on their way: await `closed` (after stopping the group) for all output.
   */
  readonly exited: Promise<ChildExit>;
  /**
   * Resolves when the leader has exited AND every process holding its stdout/stderr has closed them,
   * i.e. all output was delivered. A grandchild that lives on keeps this pending. Never rejects.
   */
  readonly closed: Promise<ChildExit>;
  /**
   * Stops reading the child's stdout/stderr and closes our ends. For after the group is gone: a
   * process outside it (started with setsid, a daemon) that inherited them would otherwise keep them
   * open, `closed` pending, and the supervisor's event loop alive. `closed` then resolves.
   */
  releaseOutput(): void;
}

/** The child could not be started at all (missing file, not executable, bad cwd). */
export class ChildSpawnError extends Error {
  override readonly name = 'ChildSpawnError';
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a failed start means and what fixes it. Shared with `exec`'s foreground child. EMFILE/ENFILE
 * and EAGAIN are the machine's limits (descriptors, processes), not the command's fault: a retry after
 * the pressure is gone can succeed.
 */
export function spawnFailureMessage(
  file: string,
  cwd: string | undefined,
  error: NodeJS.ErrnoException,
): string {
  const where = cwd ? ` in \`${cwd}\`` : '';
  const code = error.code ?? error.message;
  switch (error.code) {
    case 'ENOENT':
      return `Could not start \`${file}\`${where}: ENOENT (the file, its #! interpreter or the working directory does not exist).`;
    case 'EACCES':
      return `Could not start \`${file}\`${where}: EACCES (not executable: \`chmod +x ${file}\`).`;
    case 'EMFILE':
    case 'ENFILE':
      return `Could not start \`${file}\`${where}: ${code} (too many open files: close some or raise the limit, \`ulimit -n\`).`;
    case 'EAGAIN':
      return `Could not start \`${file}\`${where}: EAGAIN (too many processes: the user's process limit, \`ulimit -u\`, is reached).`;
    default:
      return `Could not start \`${file}\`${where}: ${code}.`;
  }
}

/**
 * Copies a child stream to its sink chunk by chunk, as the bytes come: no decoding (invalid UTF-8 and
 * colours pass as they are), no line splitting, nothing kept. When the sink is full the child stream
 * is paused, so a slow terminal slows the child instead of filling our memory.
 */
function passThrough(
  source: Readable,
  sink: OutputSink,
  name: ChildStreamName,
  options: SpawnChildOptions,
): void {
  source.on('data', (chunk: Uint8Array) => {
    if (!sink.write(chunk)) {
      source.pause();
      sink.once('drain', () => source.resume());
    }
    if (options.onOutput) {
      try {
        options.onOutput(chunk, name);
      } catch (error) {
        (options.onOutputError ?? ((e) => process.emitWarning(`onOutput failed: ${String(e)}`)))(error);
      }
    }
  });
}

/**
 * The gate: wait for a line on fd 3, then close it and become the command (same pid, same group).
 * EOF instead of a line means the supervisor died before the group was guarded: run nothing.
 */
const GATE_SCRIPT = 'read -r go <&3 || exit 125; exec 3<&-; exec "$0" "$@"';

/**
 * What `spawn` would report for a command that cannot start, checked before the gate's `sh` execs it
 * (where the failure would only be an exit code): a missing or non-executable file, a missing cwd.
 */
function assertRunnable(file: string, cwd: string | undefined): void {
  const fail = (error: NodeJS.ErrnoException) => {
    throw new ChildSpawnError(file, error.code, spawnFailureMessage(file, cwd, error));
  };
  try {
    if (cwd !== undefined) fs.statSync(cwd);
    fs.accessSync(file, fs.constants.X_OK);
    if (!fs.statSync(file).isFile()) fail(Object.assign(new Error('not a file'), { code: 'EACCES' }));
  } catch (error) {
    if (error instanceof ChildSpawnError) throw error;
    fail(error as NodeJS.ErrnoException);
  }
}

/**
 * Starts the child in its own process group (so the whole group can be stopped at once, and Ctrl+C in
 * the terminal reaches only the supervisor, which decides what the child gets). Resolves once the
 * child is running; rejects with `ChildSpawnError` when it cannot start.
 */
export async function spawnChild(options: SpawnChildOptions): Promise<ChildHandle> {
  const gated = options.beforeRun !== undefined;
  if (gated) assertRunnable(options.file, options.cwd);
  const [file, args] = gated
    ? ['/bin/sh', ['-c', GATE_SCRIPT, options.file, ...options.args]]
    : [options.file, [...options.args]];
  const failure = (error: NodeJS.ErrnoException) =>
    new ChildSpawnError(options.file, error.code, spawnFailureMessage(options.file, options.cwd, error));

  // node:child_process directly: every way a start can fail is an 'error' event or a throw we catch.
  // (execa 9, at EMFILE, rejected with a TypeError and ALSO emitted an 'error' nobody listened to.)
  let subprocess: ChildProcess;
  try {
    subprocess = spawn(file, args, {
      cwd: options.cwd,
      // Undefined values are left out by spawn itself.
      env: options.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe', ...(gated ? (['pipe'] as const) : [])],
    });
  } catch (error) {
    // Errors other than the run-time ones (EMFILE, ENOENT...) are thrown synchronously by spawn.
    throw failure(error as NodeJS.ErrnoException);
  }
  let started = false;
  const spawned = new Promise<void>((resolve, reject) => {
    subprocess.once('spawn', () => {
      started = true;
      resolve();
    });
    // Stays attached for the child's whole life: a failed kill() of a process is also an 'error'.
    subprocess.on('error', (error: NodeJS.ErrnoException) => {
      if (!started) reject(failure(error));
    });
  });
  // Marked handled now: should anything below throw first, this rejection must not go unhandled.
  spawned.catch(() => {});
  // At EMFILE, spawn gives up before creating the pipes: no streams (not even the `stdio` array),
  // only the 'error'.
  const { stdout, stderr } = subprocess;
  const gate = subprocess.stdio?.[3] as Writable | null | undefined;
  for (const stream of [stdout, stderr, gate]) stream?.on('error', () => {});
  // Attached before anything is awaited so no early chunk can slip past the tap.
  if (stdout) passThrough(stdout, options.stdout, 'stdout', options);
  if (stderr) passThrough(stderr, options.stderr, 'stderr', options);

  const exited = new Promise<ChildExit>((resolve) => {
    subprocess.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  // 'close': the process exited and every stdio pipe of ours is closed (read to its end or released).
  const closed = new Promise<ChildExit>((resolve) => {
    subprocess.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) =>
      resolve({ exitCode, signal }),
    );
  });

  await spawned;
  const pid = subprocess.pid;
  if (pid === undefined || !stdout || !stderr) {
    subprocess.kill('SIGKILL');
    throw new ChildSpawnError(
      options.file,
      undefined,
      `Could not start \`${options.file}\`: no pid was assigned.`,
    );
  }

  if (options.beforeRun) {
    try {
      await options.beforeRun({ pid, pgid: pid });
    } catch (error) {
      subprocess.kill('SIGKILL');
      throw error;
    }
    // Our end is closed once the line is written: the pipe then counts as closed for 'close'.
    gate?.end('go\n', () => gate.destroy());
  }

  const releaseOutput = () => {
    stdout.destroy();
    stderr.destroy();
  };
  return { pid, pgid: pid, startedAt: new Date(), exited, closed, releaseOutput };
}
