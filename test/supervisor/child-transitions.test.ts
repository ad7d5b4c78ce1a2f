import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF_POLICY } from '../../src/supervisor/backoff.js';
import { find, MachineDriver, types } from './machine-driver.js';

function crash(d: MachineDriver, code = 1) {
  const effects = d.send({ type: 'child-exited', code, signal: null });
  return [...effects, ...d.send({ type: 'child-stopped' })];
}

/** After a crash backoff: verify, then spawn and start again. */
function restartAfterBackoff(d: MachineDriver) {
  const elapsed = d.send({ type: 'backoff-elapsed', purpose: 'restart' });
  expect(types(elapsed)).toContain('verify-candidate');
  expect(types(d.verified())).toContain('spawn-child');
  d.send({ type: 'child-started', pid: 1000 + d.state.spawns });
}

describe('the child exits on its own', () => {
  it('clean exit (code 0): reap its group, then end with code 0', () => {
    const d = new MachineDriver().startRunning();
    const exited = d.send({ type: 'child-exited', code: 0, signal: null });
    expect(exited).toContainEqual({ type: 'stop-child', reason: 'exited' });
    expect(types(exited)).not.toContain('exit');
    expect(d.state.status).toBe('stopping');
    const gone = d.send({ type: 'child-stopped' });
    expect(gone.at(-1)).toEqual({ type: 'exit', code: 0 });
    expect(d.state).toMatchObject({ status: 'stopped', exitCode: 0 });
  });

  it('a crash restarts after a backoff, verifying the credentials first', () => {
    const d = new MachineDriver().startRunning();
    d.advance(5_000);
    const effects = crash(d, 2);
    expect(d.state.status).toBe('backoff');
    expect(find(effects, 'schedule-backoff')).toEqual({
      type: 'schedule-backoff',
      purpose: 'restart',
      delayMs: 1000,
    });
    expect(find(effects, 'print')?.message).toBe('The command exited with code 2. Restarting in 1s.');
    expect(types(effects)).not.toContain('spawn-child');
    d.advance(1000);
    restartAfterBackoff(d);
    expect(d.state).toMatchObject({ status: 'running', restarts: 1 });
  });

  it('quick crashes back off exponentially, capped; a stable run starts over', () => {
    const policy = { ...DEFAULT_BACKOFF_POLICY, maxCrashes: 100, maxDelayMs: 4000 };
    const d = new MachineDriver({ backoff: policy }).startRunning();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      d.advance(500);
      delays.push(find(crash(d), 'schedule-backoff')!.delayMs);
      restartAfterBackoff(d);
    }
    expect(delays).toEqual([1000, 2000, 4000, 4000]);
    d.advance(policy.stableAfterMs);
    expect(find(crash(d), 'schedule-backoff')?.delayMs).toBe(1000);
  });

  it('a signal from outside counts as a crash and is named', () => {
    const d = new MachineDriver().startRunning();
    const effects = d.send({ type: 'child-exited', code: null, signal: 'SIGKILL' });
    expect(find(effects, 'print')?.message).toMatch(/killed by SIGKILL/);
  });

  it('too many crashes within the window: fatal with a message, no restart storm', () => {
    const d = new MachineDriver().startRunning();
    const { maxCrashes } = DEFAULT_BACKOFF_POLICY;
    for (let i = 1; i < maxCrashes; i++) {
      crash(d);
      restartAfterBackoff(d);
    }
    const last = crash(d);
    expect(d.state.status).toBe('fatal');
    expect(types(last)).not.toContain('schedule-backoff');
    expect(find(last, 'print')).toMatchObject({ level: 'error' });
    expect(find(last, 'print')?.message).toMatch(/5 crashes within 2m.*Not restarting/);
    expect(find(last, 'notify')?.attention.kind).toBe('fatal');
    expect(types(last)).not.toContain('exit'); // interactive: wait for the person
    expect(d.state.lastError).toMatch(/Not restarting/);
  });

  it('fatal ends the run with code 1 when nobody can answer (exitOnFatal)', () => {
    const policy = { ...DEFAULT_BACKOFF_POLICY, maxCrashes: 1 };
    const d = new MachineDriver({ backoff: policy, exitOnFatal: true }).startRunning();
    const effects = crash(d);
    expect(effects.at(-1)).toEqual({ type: 'exit', code: 1 });
    expect(d.state).toMatchObject({ status: 'fatal', exitCode: 1 });
  });

  it('from fatal, only the person (r / reload / SIGUSR1) starts again', () => {
    const policy = { ...DEFAULT_BACKOFF_POLICY, maxCrashes: 1 };
    const d = new MachineDriver({ backoff: policy }).startRunning();
    crash(d);
    expect(d.send({ type: 'fresh-credentials-available', trigger: 'file' })).toEqual([]);
    const effects = d.send({ type: 'fresh-credentials-available', trigger: 'key' });
    expect(types(effects)).toContain('verify-candidate');
    expect(d.state.status).toBe('starting');
    expect(d.state.crashes.times).toEqual([]);
  });

  it('in backoff, a file change waits for the backoff but a reload cuts it short', () => {
    const d = new MachineDriver().startRunning();
    crash(d);
    expect(d.send({ type: 'fresh-credentials-available', trigger: 'file' })).toEqual([]);
    expect(types(d.send({ type: 'fresh-credentials-available', trigger: 'reload' }))).toContain(
      'verify-candidate',
    );
    expect(d.state.backoffPending.restart).toBe(false);
    expect(d.send({ type: 'backoff-elapsed', purpose: 'restart' })).toEqual([]); // superseded timer
  });

  it('a command that cannot be spawned ends at once: 127 not found, 126 not executable', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    d.verified();
    const effects = d.send({ type: 'child-spawn-failed', message: 'Command not found: cdk', code: 'ENOENT' });
    expect(effects.at(-1)).toEqual({ type: 'exit', code: 127 });
    expect(d.state).toMatchObject({ status: 'fatal', lastError: 'Command not found: cdk' });

    const e = new MachineDriver();
    e.send({ type: 'start' });
    e.verified();
    expect(
      e.send({ type: 'child-spawn-failed', message: 'Permission denied', code: 'EACCES' }).at(-1),
    ).toEqual({
      type: 'exit',
      code: 126,
    });
  });
});

describe('stops the supervisor starts itself', () => {
  it('an exit while we stop it is expected: the plan runs on child-stopped, not on exit', () => {
    const d = new MachineDriver({ delivery: 'env' }).startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    d.verified({ fingerprint: 'ASIANEW' });
    expect(d.send({ type: 'child-exited', code: 130, signal: null })).toEqual([]);
    expect(d.state.crashes.times).toEqual([]);
    expect(types(d.send({ type: 'child-stopped' }))).toContain('spawn-child');
  });

  it('credentials verified while the child is being stopped for lack of them: restart, no prompt', () => {
    const d = new MachineDriver().startRunning();
    d.advance(50 * 60_000);
    const expiresAt = d.state.credentials!.expiresAt!;
    d.send({ type: 'refresh-due', expiresAt });
    d.verified(); // same ones: keep trying until --stop-before
    d.advance(9 * 60_000);
    d.send({ type: 'stop-due', expiresAt }); // stop and wait
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    d.verified({ fingerprint: 'ASIANEW', expiresAt: d.now + 3_600_000 });
    expect(d.state.status).toBe('starting');
    const gone = d.send({ type: 'child-stopped' });
    expect(types(gone)).toContain('spawn-child');
    expect(types(gone)).not.toContain('print-prompt');
  });

  it('ignores child-stopped when no stop was asked for', () => {
    const d = new MachineDriver().startRunning();
    const before = d.state;
    expect(d.send({ type: 'child-stopped' })).toEqual([]);
    expect(d.state).toBe(before);
  });
});
