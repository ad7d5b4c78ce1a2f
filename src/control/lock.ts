import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import type { GroupLeaderIdentity } from '../process/group-identity.js';
import { currentBoot, isRecordedProcessRunning, isSameBoot, processStartTime } from '../process/liveness.js';
import { ControlError, LockHeldError } from './errors.js';
import { ensureStateDir } from './state-dir.js';
import { readStateRecord, removeStateRecord, type StateRecord, writeStateRecord } from './state-record.js';

export const LOCK_DIR_NAME = 'supervisor.lock';

export interface AcquireLockOptions {
  /**
   * Called when another process took the lock from this one (its keep-alive stalled past the stale
   * time, e.g. the machine slept). The caller should log it and stop. Default: ignored.
   */
  onCompromised?: (error: Error) => void;
  /**
   * The state record could not be written (a full disk, a read-only or removed state dir). The lock
   * goes on with the record in memory and writes it again every few seconds until it succeeds; the
   * caller should say so once. Default: ignored.
   */
  onRecordError?: (error: Error) => void;
  /**
   * A lock whose recorded holder is dead is taken over once its keep-alive is this old. It only has
   * to cover the moment between a new holder creating the lock and recording its pid. Default 3 s.
   */
  deadHolderStaleMs?: number;
  /**
   * The lock is left by a holder that is gone and is taken over once it is `deadHolderStaleMs` old:
   * called once before that wait, with the recorded holder's pid (null without a record), so the
   * person is told why the start pauses. Default: ignored.
   */
  onWaitForDeadHolder?: (pid: number | null) => void;
}

/** What a supervisor that is no longer running left behind. */
export interface PreviousSupervisor {
  pid: number;
  /**
   * Its child's process group as it recorded it, for the caller to kill. Null when none was running,
   * when the record is from before a reboot (that group died with the machine), or when the number
   * now belongs to another process's group.
   */
  childPgid: number | null;
  /** The child's start time and command line as recorded at spawn: what proves the group ours. */
  childLeader: GroupLeaderIdentity | null;
  /** With several commands: the other children's groups, under the same proof as `childPgid`. */
  otherGroups: { pgid: number; leader: GroupLeaderIdentity | null }[];
}

export interface SupervisorLock {
  readonly stateDir: string;
  /** A lock left by a dead supervisor (SIGKILL, crash, reboot) was taken over. */
  readonly tookOverStaleLock: boolean;
  /** The record of the supervisor that ran here before, when it is no longer running. */
  readonly previous: PreviousSupervisor | null;
  /**
   * Record the child's process group (null once it has exited) and its leader's identity, which later
   * proves the group ours. Synchronous: call it right after spawn.
   */
  recordChild(pgid: number | null, leader?: GroupLeaderIdentity | null): void;
  /** With several commands: every child group after the first (which `recordChild` holds). */
  recordOtherGroups(groups: readonly { pgid: number; leader: GroupLeaderIdentity | null }[]): void;
  /** Record where the control socket listens. */
  recordSocket(socketPath: string | null): void;
  /** The child's process group as last recorded (kept in memory even when the file could not be written). */
  readonly childPgid: number | null;
  /** The control socket as last recorded. */
  readonly socketPath: string | null;
  /** Remove the record and the lock. Safe to call more than once. */
  release(): Promise<void>;
  /** The same, synchronously, for a process about to exit from an error handler. */
  releaseSync(): void;
}

/** Keep-alive interval of the lock's mtime (proper-lockfile's `update`). */
const KEEP_ALIVE_MS = 1000;
const POLL_MS = 200;

/**
 * Takes the one-supervisor-per-directory lock in `stateDir`.
 *
 * proper-lockfile provides the atomic part (mkdir of `supervisor.lock`, kept fresh every second);
 * the state record adds who holds it. A lock is stale only when its holder is gone: a holder whose
 * recorded pid is still that running process is refused by pid, however old its keep-alive (a
 * supervisor stopped with SIGSTOP or Ctrl+Z, or a suspended laptop, keeps its lock). A holder that is
 * gone (SIGKILL, crash, reboot, or whose pid now belongs to another process) is taken over as soon
 * as its keep-alive is a few seconds old. The few seconds cover the moment between a new holder
 * creating the lock and writing its record, so a lock that was just taken is never mistaken for a
 * dead one.
 */
export async function acquireSupervisorLock(
  stateDir: string,
  options: AcquireLockOptions = {},
): Promise<SupervisorLock> {
  const dir = path.resolve(stateDir);
  await ensureStateDir(dir);
  const lockPath = path.join(dir, LOCK_DIR_NAME);
  const deadHolderStaleMs = options.deadHolderStaleMs ?? 3000;
  const onCompromised = options.onCompromised ?? (() => {});
  const lockExisted = fs.existsSync(lockPath);

  const tryLock = (stale: number) =>
    lockfile.lock(dir, {
      lockfilePath: lockPath,
      realpath: false,
      stale,
      update: KEEP_ALIVE_MS,
      onCompromised,
    });

  let unlock: () => Promise<void>;
  try {
    // Only a missing lock is taken here: an existing one, however old, is judged by its holder below.
    unlock = await tryLock(HOLDER_STALE_MS);
  } catch (error) {
    if (!isLockedError(error)) throw lockFailed(dir, error);
    refuseIfHolderRunning(dir);
    options.onWaitForDeadHolder?.(readStateRecord(dir)?.pid ?? null);
    unlock = await takeOverFromDeadHolder(dir, () => tryLock(deadHolderStaleMs), deadHolderStaleMs);
  }

  const previous = previousSupervisor(readStateRecord(dir));
  const boot = currentBoot();
  const now = new Date().toISOString();
  let record: StateRecord = {
    version: 1,
    pid: process.pid,
    pidStartTicks: processStartTime(process.pid),
    childPgid: null,
    childStartTicks: null,
    childCommand: null,
    socketPath: null,
    bootId: boot.bootId,
    bootTime: boot.bootTime,
    startedAt: now,
    updatedAt: now,
  };
  let released = false;
  const writer = recordWriter(dir, options.onRecordError ?? (() => {}));
  const forgetRecord = () => {
    writer.stop();
    // Only our own record: a record another supervisor wrote meanwhile is its business.
    if (readStateRecord(dir)?.pid === process.pid) removeStateRecordQuietly(dir);
  };
  writer.write(record);
  const update = (
    change: Partial<
      Pick<StateRecord, 'childPgid' | 'childStartTicks' | 'childCommand' | 'socketPath' | 'otherGroups'>
    >,
  ) => {
    if (released) return;
    record = { ...record, ...change, updatedAt: new Date().toISOString() };
    writer.write(record);
  };

  return {
    stateDir: dir,
    tookOverStaleLock: lockExisted,
    previous,
    // The child leads its group, so its start time and command line identify the group for later.
    recordChild: (pgid, leader = null) => {
      update({
        childPgid: pgid,
        childStartTicks: leader?.startTime ?? null,
        childCommand: leader?.command ?? null,
      });
    },
    recordOtherGroups: (groups) =>
      update({
        otherGroups: groups.map((g) => ({
          pgid: g.pgid,
          startTicks: g.leader?.startTime ?? null,
          command: g.leader?.command ?? null,
        })),
      }),
    recordSocket: (socketPath) => update({ socketPath }),
    get childPgid() {
      return record.childPgid;
    },
    get socketPath() {
      return record.socketPath;
    },
    releaseSync() {
      if (released) return;
      released = true;
      forgetRecord();
      try {
        lockfile.unlockSync(dir, { lockfilePath: lockPath, realpath: false });
      } catch {
        // Not ours any more, or already gone.
      }
    },
    async release() {
      if (released) return;
      released = true;
      forgetRecord();
      await unlock().catch(() => {
        // Already released, or taken over after a stall: either way it is no longer ours.
      });
    },
  };
}

/**
 * The keep-alive age past which the holder itself would count its lock as lost (proper-lockfile's
 * `stale`): far beyond any stall, since staleness is decided by the holder's pid, not by the clock.
 */
const HOLDER_STALE_MS = 7 * 24 * 60 * 60 * 1000;
/** How often a record that could not be written is tried again. */
const RECORD_RETRY_MS = 2000;

/**
 * Writes the state record without ever throwing: a supervisor that cannot record its child (ENOSPC,
 * EACCES, EROFS) must still run, track and stop it. The latest record is kept and written again
 * until a write succeeds; the error is reported once per failing stretch.
 */
function recordWriter(dir: string, onError: (error: Error) => void) {
  let pending: StateRecord | null = null;
  let retry: NodeJS.Timeout | undefined;
  let failing = false;
  const attempt = () => {
    if (!pending) return;
    try {
      writeStateRecord(dir, pending);
      pending = null;
      failing = false;
      clearInterval(retry);
      retry = undefined;
    } catch (error) {
      if (!failing) onError(error as Error);
      failing = true;
      retry ??= setInterval(attempt, RECORD_RETRY_MS).unref();
    }
  };
  return {
    write(record: StateRecord) {
      pending = record;
      attempt();
    },
    stop() {
      clearInterval(retry);
      retry = undefined;
      pending = null;
    },
  };
}

function removeStateRecordQuietly(dir: string): void {
  try {
    removeStateRecord(dir);
  } catch {
    // A read-only or vanished state dir: the record stays, and the next start sees its pid is gone.
  }
}

/** The terminal line for `onRecordError`: what failed, what still works, what does not. */
export function warnRecordUnwritable(out: { write(text: string): unknown }): (error: Error) => void {
  return (error) => {
    out.write(
      `[cred-supervisor] cannot write the state record (${(error as NodeJS.ErrnoException).code ?? error.message}); ` +
        'supervision goes on and the record is written again once the disk allows it. Until then ' +
        '`status` and a start after a crash may not know the current command.\n',
    );
  };
}

/** Retries with the short stale time until the dead holder's lock ages out, or a live holder shows up. */
async function takeOverFromDeadHolder(
  dir: string,
  tryLock: () => Promise<() => Promise<void>>,
  deadHolderStaleMs: number,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + deadHolderStaleMs + 2 * KEEP_ALIVE_MS;
  for (;;) {
    try {
      return await tryLock();
    } catch (error) {
      if (!isLockedError(error)) throw lockFailed(dir, error);
    }
    refuseIfHolderRunning(dir);
    if (Date.now() > deadline) {
      throw new LockHeldError(
        null,
        dir,
        `Another process keeps the lock ${path.join(dir, LOCK_DIR_NAME)} fresh but left no supervisor ` +
          'record. If no cred-supervisor runs here, remove that directory and start again.',
      );
    }
    await delay(POLL_MS);
  }
}

function refuseIfHolderRunning(dir: string): void {
  const holder = readStateRecord(dir);
  if (!holder || !isRunning(holder)) return;
  throw new LockHeldError(
    holder.pid,
    dir,
    `Another cred-supervisor (pid ${holder.pid}) is already running in ${dir}. ` +
      `Stop it with \`cred-supervisor stop\` (or \`kill ${holder.pid}\`), or give this one its own --state-dir.`,
  );
}

function previousSupervisor(record: StateRecord | null): PreviousSupervisor | null {
  if (!record || record.pid === process.pid || isRunning(record)) return null;
  const ours = groupStillOurs(record, record.childPgid, record.childStartTicks);
  const otherGroups = (record.otherGroups ?? [])
    .filter((g) => groupStillOurs(record, g.pgid, g.startTicks))
    .map((g) => ({ pgid: g.pgid, leader: leaderOf(g.startTicks, g.command) }));
  return {
    pid: record.pid,
    childPgid: ours ? record.childPgid : null,
    childLeader: ours ? leaderOf(record.childStartTicks, record.childCommand) : null,
    otherGroups,
  };
}

function leaderOf(startTicks: string | null, command: string | null | undefined): GroupLeaderIdentity | null {
  return startTicks !== null && typeof command === 'string' ? { startTime: startTicks, command } : null;
}

/**
 * Whether killing the recorded group can only hit the dead supervisor's processes. Not across a
 * reboot. Within one boot the kernel does not reuse a number while a group of that number has
 * members, so the number can only be someone else's if a new process with it leads a new group:
 * that process exists with other start ticks than the recorded child.
 */
function groupStillOurs(record: StateRecord, pgid: number | null, startTicks: string | null): boolean {
  if (pgid === null) return false;
  if (!isSameBoot({ bootId: record.bootId, bootTime: record.bootTime }, currentBoot())) return false;
  const leaderTicks = processStartTime(pgid);
  return leaderTicks === null || startTicks === null || leaderTicks === startTicks;
}

function isRunning(record: StateRecord): boolean {
  return isRecordedProcessRunning(record.pid, {
    boot: { bootId: record.bootId, bootTime: record.bootTime },
    startTime: record.pidStartTicks,
  });
}

function isLockedError(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ELOCKED';
}

function lockFailed(dir: string, error: unknown): ControlError {
  return new ControlError(
    'LOCK_FAILED',
    `Cannot take the supervisor lock in ${dir}: ${(error as Error).message}.`,
  );
}
