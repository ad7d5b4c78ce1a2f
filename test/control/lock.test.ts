import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockHeldError } from '../../src/control/errors.js';
import { acquireSupervisorLock, LOCK_DIR_NAME, type SupervisorLock } from '../../src/control/lock.js';
import { readStateRecord, type StateRecord, writeStateRecord } from '../../src/control/state-record.js';
import { currentBoot } from '../../src/process/liveness.js';

const fixtures = path.dirname(fileURLToPath(import.meta.url));
const holdLock = path.join(fixtures, 'fixtures', 'hold-lock.ts');
const registerTs = path.join(fixtures, 'fixtures', 'register-ts.mjs');

let stateDir: string;
const locks: SupervisorLock[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  stateDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cs-lock-')), '.cred-supervisor');
});

afterEach(async () => {
  for (const lock of locks.splice(0)) await lock.release();
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(path.dirname(stateDir), { recursive: true, force: true });
});

async function acquire(options?: Parameters<typeof acquireSupervisorLock>[1]) {
  const lock = await acquireSupervisorLock(stateDir, options);
  locks.push(lock);
  return lock;
}

/** A real process that takes the lock (through src/control/lock.ts) and records `childPgid`. */
async function spawnHolder(childPgid?: number): Promise<ChildProcess> {
  const args = ['--import', registerTs, holdLock, stateDir];
  if (childPgid !== undefined) args.push(String(childPgid));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`locked ${child.pid}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code} before taking the lock`)));
  });
  return child;
}

function killAndReap(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function record(overrides: Partial<StateRecord>): StateRecord {
  const boot = currentBoot();
  return {
    version: 1,
    pid: 999_999,
    pidStartTicks: null,
    childPgid: null,
    childStartTicks: null,
    socketPath: null,
    bootId: boot.bootId,
    bootTime: boot.bootTime,
    startedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('acquireSupervisorLock', () => {
  it('takes a free directory and records its pid in a private state file', async () => {
    const lock = await acquire();
    expect(lock).toMatchObject({ tookOverStaleLock: false, previous: null });
    expect(fs.statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(stateDir, LOCK_DIR_NAME)).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(stateDir, 'state.json')).mode & 0o777).toBe(0o600);
    expect(readStateRecord(stateDir)).toMatchObject({ pid: process.pid, childPgid: null });
  });

  it('records the child process group and socket whenever they change', async () => {
    const lock = await acquire();
    lock.recordChild(4321);
    lock.recordSocket('/tmp/x.sock');
    expect(readStateRecord(stateDir)).toMatchObject({ childPgid: 4321, socketPath: '/tmp/x.sock' });
    lock.recordChild(null);
    expect(readStateRecord(stateDir)?.childPgid).toBeNull();
  });

  it('refuses a second supervisor, naming the running one by pid', async () => {
    await acquire();
    const error = await acquireSupervisorLock(stateDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as LockHeldError).holderPid).toBe(process.pid);
    expect((error as Error).message).toBe(
      `Another cred-supervisor (pid ${process.pid}) is already running in ${stateDir}. ` +
        `Stop it with \`cred-supervisor stop\` (or \`kill ${process.pid}\`), or give this one its own --state-dir.`,
    );
  });

  it('refuses while another live process holds it', async () => {
    const holder = await spawnHolder();
    const error = await acquireSupervisorLock(stateDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as LockHeldError).holderPid).toBe(holder.pid);
  });

  it('is free again after release, which removes the lock and the record', async () => {
    const lock = await acquire();
    await lock.release();
    await lock.release();
    expect(fs.existsSync(path.join(stateDir, LOCK_DIR_NAME))).toBe(false);
    expect(readStateRecord(stateDir)).toBeNull();
    expect((await acquire()).previous).toBeNull();
  });

  it('takes over the lock of a SIGKILLed supervisor and hands back its child group', async () => {
    const holder = await spawnHolder(24_680);
    await killAndReap(holder);
    // SIGKILL left the lock directory behind: nothing could remove it.
    expect(fs.existsSync(path.join(stateDir, LOCK_DIR_NAME))).toBe(true);
    const waitedFor: (number | null)[] = [];
    const lock = await acquire({ onWaitForDeadHolder: (pid) => waitedFor.push(pid) });
    expect(lock.tookOverStaleLock).toBe(true);
    expect(waitedFor).toEqual([holder.pid]); // said once, before the wait
    expect(lock.previous).toMatchObject({ pid: holder.pid, childPgid: 24_680 });
    expect(readStateRecord(stateDir)).toMatchObject({ pid: process.pid, childPgid: null });
  });

  it('hands back the child group of a supervisor that died without holding the lock any more', async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    const pid = await deadPid();
    writeStateRecord(stateDir, record({ pid, childPgid: 1357 }));
    const lock = await acquire();
    expect(lock).toMatchObject({ tookOverStaleLock: false, previous: { pid, childPgid: 1357 } });
  });

  it.runIf(fs.existsSync('/proc/self/stat'))(
    'does not hand back a group number now led by another process',
    async () => {
      fs.mkdirSync(stateDir, { recursive: true });
      const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true });
      children.push(stranger);
      const pid = await deadPid();
      writeStateRecord(stateDir, record({ pid, childPgid: stranger.pid!, childStartTicks: '1' }));
      expect((await acquire()).previous).toMatchObject({ pid, childPgid: null });
    },
  );

  it('records the child group with its leader, so the group is handed back while it lives', async () => {
    const first = await acquire();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true });
    children.push(child);
    first.recordChild(child.pid!);
    // Simulate the supervisor dying without cleanup: keep its record, drop its lock.
    const kept = readStateRecord(stateDir)!;
    await first.release();
    locks.splice(locks.indexOf(first), 1);
    const pid = await deadPid();
    writeStateRecord(stateDir, { ...kept, pid, pidStartTicks: null });
    expect((await acquire()).previous).toMatchObject({ pid, childPgid: child.pid });
  });

  it('does not hand back a group recorded before a reboot', async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    writeStateRecord(stateDir, record({ pid: 1, childPgid: 1357, bootId: 'another-boot', bootTime: 0 }));
    expect((await acquire()).previous).toMatchObject({ pid: 1, childPgid: null });
  });

  // Start ticks come from /proc: recycled pids are recognised this way on Linux only.
  it.runIf(fs.existsSync('/proc/self/stat'))(
    'takes over from a recorded pid now used by another process',
    async () => {
      fs.mkdirSync(path.join(stateDir, LOCK_DIR_NAME), { recursive: true });
      const unrelated = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
      children.push(unrelated);
      // The record says the holder started at tick 1: the live process with that pid is someone else.
      writeStateRecord(stateDir, record({ pid: unrelated.pid!, pidStartTicks: '1', childPgid: 42 }));
      const lock = await acquire({ deadHolderStaleMs: 2000 });
      expect(lock.tookOverStaleLock).toBe(true);
      expect(lock.previous).toMatchObject({ pid: unrelated.pid, childPgid: 42 });
    },
  );

  it('does not take over a fresh lock whose holder left no record', async () => {
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    // Someone else keeps the lock fresh but never says who they are.
    const release = await lockfile.lock(stateDir, {
      lockfilePath: path.join(stateDir, LOCK_DIR_NAME),
      realpath: false,
      update: 1000,
    });
    try {
      const error = await acquireSupervisorLock(stateDir, { deadHolderStaleMs: 2000 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LockHeldError);
      expect((error as LockHeldError).holderPid).toBeNull();
      expect((error as Error).message).toMatch(/keeps the lock .* fresh but left no supervisor record/);
    } finally {
      await release();
    }
  });

  it('keeps the lock of a live holder however old its keep-alive (stopped with SIGSTOP, a suspended laptop)', async () => {
    const holder = await spawnHolder(13_579);
    holder.kill('SIGSTOP');
    try {
      const lockDir = path.join(stateDir, LOCK_DIR_NAME);
      const longAgo = new Date(Date.now() - 10 * 60_000);
      fs.utimesSync(lockDir, longAgo, longAgo);
      const error = await acquireSupervisorLock(stateDir, { deadHolderStaleMs: 2000 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LockHeldError);
      expect((error as LockHeldError).holderPid).toBe(holder.pid);
      // Nothing of the holder's was touched on the way out.
      expect(readStateRecord(stateDir)).toMatchObject({ pid: holder.pid, childPgid: 13_579 });
      expect(fs.existsSync(lockDir)).toBe(true);
    } finally {
      holder.kill('SIGCONT');
    }
  });

  it('goes on when the record cannot be written: keeps it in memory, reports once, writes it when it can', async () => {
    const errors: Error[] = [];
    const lock = await acquire({ onRecordError: (error) => errors.push(error) });
    // The record's temporary file cannot be created: a directory stands in its way.
    const blocker = path.join(stateDir, `state.json.${process.pid}.tmp`);
    fs.mkdirSync(blocker);
    expect(() => lock.recordChild(2468)).not.toThrow();
    expect(() => lock.recordSocket('/tmp/y.sock')).not.toThrow();
    expect(lock.childPgid).toBe(2468);
    expect(errors).toHaveLength(1);
    expect(readStateRecord(stateDir)?.childPgid).toBeNull();
    fs.rmdirSync(blocker);
    // Retried every 2 s until it works.
    await expect
      .poll(() => readStateRecord(stateDir)?.childPgid, { timeout: 5000, interval: 100 })
      .toBe(2468);
    expect(readStateRecord(stateDir)?.socketPath).toBe('/tmp/y.sock');
  });

  it('removes only its own record on release', async () => {
    const lock = await acquire();
    const other = record({ pid: 424_242 });
    writeStateRecord(stateDir, other);
    await lock.release();
    expect(readStateRecord(stateDir)?.pid).toBe(424_242);
  });
});
