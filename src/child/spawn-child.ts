import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';

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

function spawnFailureMessage(file: string, cwd: string | undefined, error: NodeJS.ErrnoException): string {
  const where = cwd ? ` in \`${cwd}\`` : '';
  switch (error.code) {
    case 'ENOENT':
      return `Could not start \`${file}\`${where}: ENOENT (the file, its #! interpreter or the working directory does not exist).`;
    case 'EACCES':
      return `Could not start \`${file}\`${where}: EACCES (not executable: \`chmod +x ${file}\`).`;
    default:
      return `Could not start \`${file}\`${where}: ${error.code ?? error.message}.`;
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
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe', ...(gated ? (['pipe'] as const) : [])],
    // Never collect output in memory: it only flows to the sinks.
    buffer: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    // A failing child is a normal event here, reported through `exited`, never a rejection.
    reject: false,
  });

  // Attached before anything is awaited so no early chunk can slip past the tap.
  passThrough(subprocess.stdout, options.stdout, 'stdout', options);
  passThrough(subprocess.stderr, options.stderr, 'stderr', options);

  const exited = new Promise<ChildExit>((resolve) => {
    subprocess.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  // execa's promise settles once the process exited and its pipes closed (reject: false: never throws).
  const closed = subprocess.then(
    (result) => ({ exitCode: result.exitCode ?? null, signal: (result.signal as NodeJS.Signals) ?? null }),
    () => ({ exitCode: null, signal: null }),
  );

  await new Promise<void>((resolve, reject) => {
    subprocess.once('spawn', resolve);
    subprocess.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ChildSpawnError(options.file, error.code, spawnFailureMessage(options.file, options.cwd, error)),
      );
    });
  });
  const pid = subprocess.pid;
  if (pid === undefined) {
    throw new ChildSpawnError(
      options.file,
      undefined,
      `Could not start \`${options.file}\`: no pid was assigned.`,
    );
  }

  if (options.beforeRun) {
    const gate = subprocess.stdio[3] as Writable;
    gate.on('error', () => {});
    try {
      await options.beforeRun({ pid, pgid: pid });
    } catch (error) {
      subprocess.kill('SIGKILL');
      throw error;
    }
    gate.end('go\n');
  }

  const releaseOutput = () => {
    subprocess.stdout.destroy();
    subprocess.stderr.destroy();
  };
  return { pid, pgid: pid, startedAt: new Date(), exited, closed, releaseOutput };
}
