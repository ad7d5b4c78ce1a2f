import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF_POLICY } from '../../src/supervisor/backoff.js';
import { exitCodeForStop } from '../../src/supervisor/stop-transitions.js';
import { find, MachineDriver, types } from './machine-driver.js';

describe('stop requests', () => {
  it('Ctrl+C: first stops gracefully and says so, second forces, exit 130', () => {
    const d = new MachineDriver().startRunning();
    const first = d.send({ type: 'stop-requested', reason: 'sigint' });
    expect(first).toContainEqual({ type: 'stop-child', reason: 'shutdown' });
    expect(find(first, 'print')?.message).toMatch(/gracefully; press Ctrl\+C again to force/);
    expect(types(first)).not.toContain('exit');
    expect(d.state.status).toBe('stopping');

    const second = d.send({ type: 'stop-requested', reason: 'sigint' });
    expect(types(second)).toEqual(['print', 'kill-child']);

    const gone = d.send({ type: 'child-stopped' });
    expect(gone.at(-1)).toEqual({ type: 'exit', code: 130 });
    expect(d.state.status).toBe('stopped');
  });

  it.each([
    ['sigterm', 143],
    ['sighup', 129],
    ['key', 0],
    ['control', 0],
  ] as const)('%s stops the child, then exits %i', (reason, code) => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'stop-requested', reason });
    expect(d.send({ type: 'child-stopped' }).at(-1)).toEqual({ type: 'exit', code });
  });

  it('SIGHUP prints nothing: the terminal is gone', () => {
    const d = new MachineDriver().startRunning();
    const effects = [
      ...d.send({ type: 'stop-requested', reason: 'sighup' }),
      ...d.send({ type: 'child-stopped' }),
    ];
    expect(types(effects)).toEqual(['stop-child', 'track-expiry', 'exit']);
  });

  it('force on the first request kills at once', () => {
    const d = new MachineDriver().startRunning();
    expect(types(d.send({ type: 'stop-requested', reason: 'control', force: true }))).toEqual(
      expect.arrayContaining(['stop-child', 'kill-child']),
    );
  });

  it('with no child (waiting), exits at once', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    d.rejected('missing', 'No credentials.');
    const effects = d.send({ type: 'stop-requested', reason: 'sigint' });
    expect(effects.at(-1)).toEqual({ type: 'exit', code: 130 });
    expect(d.state).toMatchObject({ status: 'stopped', exitCode: 130 });
  });

  it('a stop during a restart replaces the restart plan: no new spawn', () => {
    const d = new MachineDriver({ delivery: 'env' }).startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    d.verified({ fingerprint: 'ASIANEW' });
    expect(types(d.send({ type: 'stop-requested', reason: 'sigterm' }))).not.toContain('stop-child'); // already stopping
    const gone = d.send({ type: 'child-stopped' });
    expect(types(gone)).not.toContain('spawn-child');
    expect(gone.at(-1)).toEqual({ type: 'exit', code: 143 });
  });

  it('a stop while spawning waits for the child, then stops it', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    d.verified();
    expect(d.send({ type: 'stop-requested', reason: 'sigint' })).toContainEqual({
      type: 'stop-child',
      reason: 'shutdown',
    });
    d.send({ type: 'child-started', pid: 55 });
    expect(d.state.child).toMatchObject({ phase: 'stopping', pid: 55 });
    expect(d.send({ type: 'child-stopped' }).at(-1)).toEqual({ type: 'exit', code: 130 });
  });

  it('a stop while the spawn fails exits with the stop code', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    d.verified();
    d.send({ type: 'stop-requested', reason: 'sigterm' });
    expect(d.send({ type: 'child-spawn-failed', message: 'nope', code: 'ENOENT' }).at(-1)).toEqual({
      type: 'exit',
      code: 143,
    });
  });

  it('q from fatal reports the failure (exit 1)', () => {
    const d = new MachineDriver({ backoff: { ...DEFAULT_BACKOFF_POLICY, maxCrashes: 1 } }).startRunning();
    d.send({ type: 'child-exited', code: 1, signal: null });
    d.send({ type: 'child-stopped' });
    expect(d.state.status).toBe('fatal');
    expect(d.send({ type: 'stop-requested', reason: 'key' }).at(-1)).toEqual({ type: 'exit', code: 1 });
  });

  it('late answers after the exit are dropped', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    const id = d.lastVerifyId();
    d.send({ type: 'stop-requested', reason: 'control' });
    const before = d.state;
    expect(
      d.send({ type: 'credentials-rejected', candidateId: id, reason: 'network', message: 'late' }),
    ).toEqual([]);
    expect(d.send({ type: 'probe-due' })).toEqual([]);
    expect(d.state).toBe(before);
  });
});

describe('exitCodeForStop', () => {
  it('follows 128 + signal number', () => {
    expect(exitCodeForStop('sigint', 'running')).toBe(128 + 2);
    expect(exitCodeForStop('sigterm', 'running')).toBe(128 + 15);
    expect(exitCodeForStop('sighup', 'running')).toBe(128 + 1);
    expect(exitCodeForStop('control', 'waiting-for-credentials')).toBe(0);
    expect(exitCodeForStop('control', 'fatal')).toBe(1);
  });
});
