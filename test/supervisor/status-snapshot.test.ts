import { describe, expect, it } from 'vitest';
import { createInitialState } from '../../src/supervisor/state-machine.js';
import { snapshotStatus } from '../../src/supervisor/status-snapshot.js';
import { MachineDriver } from './machine-driver.js';

describe('snapshotStatus', () => {
  it('before anything: the state and the pid', () => {
    expect(snapshotStatus(createInitialState(), 10)).toEqual({
      state: 'starting',
      pid: 10,
      child: { pid: null, restarts: 0, startedAt: null },
      credentials: { account: null, arn: null, expiresAt: null, source: null },
      lastError: null,
    });
  });

  it('a running child after a restart, with ISO times and no fingerprint', () => {
    const d = new MachineDriver({ delivery: 'env' }).startRunning({}, 501);
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    d.verified({ fingerprint: 'ASIANEW', expiresAt: Date.UTC(2026, 0, 15, 14, 0) });
    d.send({ type: 'child-stopped' });
    d.advance(1000);
    d.send({ type: 'child-started', pid: 502 });
    const snapshot = snapshotStatus(d.state, 10);
    expect(snapshot).toEqual({
      state: 'running',
      pid: 10,
      child: { pid: 502, restarts: 1, startedAt: new Date(d.now).toISOString() },
      credentials: {
        account: '123456789012',
        arn: 'arn:aws:sts::123456789012:assumed-role/Dev/alice',
        expiresAt: '2026-01-15T14:00:00.000Z',
        source: '/work/app/.cred-supervisor/credentials',
      },
      lastError: null,
    });
    expect(JSON.stringify(snapshot)).not.toContain('ASIANEW');
  });
});
