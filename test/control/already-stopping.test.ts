import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alreadyStopping } from '../../src/control/already-stopping.js';
import { ControlError } from '../../src/control/errors.js';
import { currentBoot, processStartTicks } from '../../src/control/liveness.js';
import { type StateRecord, writeStateRecord } from '../../src/control/state-record.js';

let stateDir: string;
beforeEach(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-stopping-'));
});
afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

function recordOf(pid: number, socketPath: string | null): StateRecord {
  const boot = currentBoot();
  return {
    version: 1,
    pid,
    pidStartTicks: processStartTicks(pid),
    childPgid: null,
    childStartTicks: null,
    socketPath,
    bootId: boot.bootId,
    bootTime: boot.bootTime,
    startedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
}

const hungUp = new ControlError('STOPPING', 'hung up');
const noSocket = new ControlError('NO_SUPERVISOR', 'no socket');

describe('alreadyStopping', () => {
  it('a hang-up from a recorded, running supervisor: stopping, with its pid', () => {
    writeStateRecord(stateDir, recordOf(process.pid, '/tmp/x.sock'));
    const stopping = alreadyStopping(stateDir, hungUp);
    expect(stopping?.pid).toBe(process.pid);
    expect(stopping?.isRunning()).toBe(true);
  });

  it('no socket any more, but its record and process still there: stopping', () => {
    writeStateRecord(stateDir, recordOf(process.pid, '/tmp/x.sock'));
    expect(alreadyStopping(stateDir, noSocket)?.pid).toBe(process.pid);
  });

  it('no socket yet (a supervisor still starting): not a shutdown', () => {
    writeStateRecord(stateDir, recordOf(process.pid, null));
    expect(alreadyStopping(stateDir, noSocket)).toBeNull();
  });

  it('a hang-up after the record is gone: stopping, nothing left to wait for', () => {
    const stopping = alreadyStopping(stateDir, hungUp);
    expect(stopping?.pid).toBeNull();
    expect(stopping?.isRunning()).toBe(false);
  });

  it('no socket and no record, or any other failure: not ours to explain', () => {
    expect(alreadyStopping(stateDir, noSocket)).toBeNull();
    expect(alreadyStopping(stateDir, new ControlError('TIMEOUT', 'slow'))).toBeNull();
    expect(alreadyStopping(stateDir, new Error('other'))).toBeNull();
  });
});
