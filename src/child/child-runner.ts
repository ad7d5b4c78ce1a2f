/**
 * One run of the supervised command: resolve the binary, spawn it in its own process group with the
 * environment the delivery mode asks for, pass its output through, feed every line to the detector,
 * arm the watchdog, and stop the whole group on request. The supervisor turns what happens here into
 * state-machine events.
 */

import type { CredentialErrorKind } from '../detect/credential-error-kind.js';
import { detectCredentialError } from '../detect/detect-credential-error.js';
import { createKeywordGatedSplitter, type KeywordGatedSplitter } from '../detect/keyword-gated-splitter.js';
import { type GroupLeaderIdentity, identifyGroupLeader } from '../process/group-identity.js';
import type { ConsoleMux } from '../terminal/console-mux.js';
import { resolveCommand } from './resolve-command.js';
import { type ChildExit, type ChildHandle, type ChildStreamName, spawnChild } from './spawn-child.js';
import { stopProcessGroup } from './stop-process-group.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

export interface ChildRunnerOptions {
  command: readonly string[];
  cwd: string;
  env: Record<string, string>;
  mux: ConsoleMux;
  onErrorLine: (kind: CredentialErrorKind, stream: ChildStreamName) => void;
  /**
   * Called once the group exists, before anything else can happen to it, with what proves the group
   * ours later (see group-identity.ts).
   */
  onGroup?: (group: RecordedGroup) => void;
  /** Arm a watchdog that kills the group if the supervisor dies (off only in unit tests). */
  watchdog?: boolean;
  /** What the watchdog removes if the supervisor dies (see WatchdogOptions). */
  removeIfSupervisorDies?: readonly string[] | undefined;
}

export interface RecordedGroup {
  pgid: number;
  leader: GroupLeaderIdentity | null;
}

export interface StartedChild {
  pid: number;
  pgid: number;
  startedAt: Date;
  exited: Promise<ChildExit>;
  /**
   * SIGINT → SIGTERM → SIGKILL to the group, then waits for all output; `force` skips to SIGKILL.
   * `outputHeld`: something outside the group still held the output, which was let go of.
   */
  stop(graceMs: number, force: AbortSignal): Promise<{ outputHeld: boolean }>;
  /** Warnings from resolving the command (npx unwrapped, …). */
  warnings: string[];
}

/**
 * Once the group is gone, what it wrote is already in the pipes and arrives within milliseconds; a
 * pipe still open after this long is held by a process outside the group.
 */
const OUTPUT_DRAIN_MS = 500;

/** Resolves true when `closed` settles within `ms`, false otherwise; leaves no timer behind. */
async function settlesWithin(closed: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([closed.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

function splitterFor(
  stream: ChildStreamName,
  onErrorLine: ChildRunnerOptions['onErrorLine'],
): KeywordGatedSplitter {
  return createKeywordGatedSplitter((line) => {
    const kind = detectCredentialError(line);
    if (kind) onErrorLine(kind, stream);
  });
}

export async function startChild(options: ChildRunnerOptions): Promise<StartedChild> {
  const [name, ...args] = options.command;
  if (!name) throw new Error('Expected a command to supervise, got an empty command line.');
  const resolved = resolveCommand({ command: name, args, cwd: options.cwd, env: options.env });
  const splitters = {
    stdout: splitterFor('stdout', options.onErrorLine),
    stderr: splitterFor('stderr', options.onErrorLine),
  };
  let watchdog: Watchdog | undefined;
  const handle: ChildHandle = await spawnChild({
    file: resolved.file,
    args: resolved.args,
    cwd: options.cwd,
    env: options.env,
    // The child lives in its own process group: reading the terminal would stop it with SIGTTIN.
    stdin: 'ignore',
    stdout: options.mux.sink('stdout'),
    stderr: options.mux.sink('stderr'),
    onOutput: (chunk, stream) => splitters[stream].write(chunk),
    // Recorded and guarded before the command runs: a SIGKILL of the supervisor at any moment
    // leaves no unguarded group behind.
    beforeRun: async ({ pgid }) => {
      // The leader is still the waiting wrapper here; exec keeps its pid and start time, and the
      // recorded command is the one it execs, so the identity holds for the running command.
      options.onGroup?.({ pgid, leader: identifyGroupLeader(pgid, [resolved.file, ...resolved.args]) });
      if (options.watchdog === false) return;
      try {
        watchdog = await startWatchdog({
          pgid,
          ...(options.removeIfSupervisorDies
            ? { removeIfSupervisorDies: options.removeIfSupervisorDies }
            : {}),
        });
      } catch {
        // Without a watchdog the child is still stopped on every orderly exit; only SIGKILL of the
        // supervisor would leave it behind, and the next start cleans the recorded group.
      }
    },
  });
  const flushLines = () => {
    splitters.stdout.flush();
    splitters.stderr.flush();
  };
  void handle.closed.then(flushLines);
  let stopping: Promise<{ outputHeld: boolean }> | undefined;
  return {
    pid: handle.pid,
    pgid: handle.pgid,
    startedAt: handle.startedAt,
    exited: handle.exited,
    warnings: resolved.warnings,
    stop(graceMs, force) {
      stopping ??= (async () => {
        await stopProcessGroup(handle.pgid, { graceMs, force });
        watchdog?.disarm();
        // Every process of the group is gone, so the pipes close and all output has been delivered,
        // unless something that left the group kept them: waiting for it would hang the supervisor.
        const drained = await settlesWithin(handle.closed, OUTPUT_DRAIN_MS);
        if (!drained) handle.releaseOutput();
        flushLines();
        options.mux.flush();
        return { outputHeld: !drained };
      })();
      return stopping;
    },
  };
}
