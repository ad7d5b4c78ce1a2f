import { describe, expect, it } from 'vitest';
import { find, HOUR, MachineDriver, MINUTE, T0, types } from './machine-driver.js';

const EXPIRES = T0 + HOUR;

describe('a jump of the wall clock (suspend/resume, time set)', () => {
  it('past the expiry: the child is known to have run on dead credentials, checked at once, restarted once fresh ones come', () => {
    const d = new MachineDriver().startRunning({ expiresAt: EXPIRES });
    d.advance(2 * HOUR); // the machine slept; no timer fired meanwhile
    const effects = d.send({ type: 'clock-jumped', skewMs: 2 * HOUR });
    expect(find(effects, 'print')?.message).toMatch(/clock jumped ahead by 2h/);
    expect(types(effects)).toEqual(expect.arrayContaining(['track-expiry', 'verify-candidate', 'probe-now']));
    expect(d.state.credentialsBroken).toBe('expired');
    expect(d.state.child?.tainted).toBe(true);

    // The source still gives the dead ones: stop and ask.
    const stopping = d.verified({ expiresAt: EXPIRES });
    expect(stopping).toContainEqual({ type: 'stop-child', reason: 'credentials-needed' });
    d.send({ type: 'child-stopped' });
    expect(d.state.status).toBe('waiting-for-credentials');

    // Fresh ones: the child is started again (its initial deploy catches up).
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const restarted = d.verified({ fingerprint: 'ASIAFRESH', expiresAt: d.now + HOUR });
    expect(types(restarted)).toContain('spawn-child');
  });

  it('a child still running when fresh ones are verified after the jump is restarted, not just served', () => {
    const d = new MachineDriver().startRunning({ expiresAt: EXPIRES });
    d.advance(2 * HOUR);
    d.send({ type: 'clock-jumped', skewMs: 2 * HOUR });
    const effects = d.verified({ fingerprint: 'ASIAFRESH', expiresAt: d.now + HOUR });
    expect(effects).toContainEqual({ type: 'stop-child', reason: 'restart' });
    expect(types(effects)).not.toContain('serve-credentials');
  });

  it('before the expiry: re-arms the timers and checks, the child keeps running untouched', () => {
    const d = new MachineDriver().startRunning({ expiresAt: EXPIRES });
    d.advance(20 * MINUTE);
    const effects = d.send({ type: 'clock-jumped', skewMs: 20 * MINUTE });
    expect(effects).toContainEqual({ type: 'track-expiry', expiresAt: EXPIRES });
    expect(types(effects)).toContain('probe-now');
    expect(d.state.credentialsBroken).toBeNull();
    expect(d.state.child?.tainted).toBe(false);
    const same = d.verified({ expiresAt: EXPIRES });
    expect(types(same)).not.toContain('stop-child');
    expect(d.state.status).toBe('running');
  });

  it('a jump back re-arms the timers too', () => {
    const d = new MachineDriver().startRunning({ expiresAt: EXPIRES });
    d.advance(-5 * MINUTE);
    const effects = d.send({ type: 'clock-jumped', skewMs: -5 * MINUTE });
    expect(find(effects, 'print')?.message).toMatch(/jumped back by 5m/);
    expect(effects).toContainEqual({ type: 'track-expiry', expiresAt: EXPIRES });
  });

  it('while waiting for credentials: re-reads the sources; while stopping: nothing', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    d.rejected('missing', 'No credentials found.');
    expect(d.state.status).toBe('waiting-for-credentials');
    expect(types(d.send({ type: 'clock-jumped', skewMs: HOUR }))).toContain('verify-candidate');

    const s = new MachineDriver().startRunning({ expiresAt: EXPIRES });
    s.send({ type: 'stop-requested', reason: 'sigterm' });
    expect(s.send({ type: 'clock-jumped', skewMs: HOUR })).toEqual([]);
  });
});

describe('a child that missed a rotation', () => {
  it('is restarted on the credentials in use, saying why', () => {
    const d = new MachineDriver().startRunning({ expiresAt: EXPIRES });
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    d.verified({ fingerprint: 'ASIANEW', expiresAt: EXPIRES + HOUR });
    const effects = d.send({ type: 'child-missed-rotation' });
    expect(find(effects, 'print')?.message).toMatch(/never asked for the credentials that replaced/);
    expect(effects).toContainEqual({ type: 'stop-child', reason: 'restart' });
    const restarted = d.send({ type: 'child-stopped' });
    expect(types(restarted)).toContain('spawn-child');
    expect(d.state.credentials?.fingerprint).toBe('ASIANEW');
  });

  it('is left alone while the supervisor stops', () => {
    const d = new MachineDriver().startRunning({ expiresAt: EXPIRES });
    d.send({ type: 'stop-requested', reason: 'sigterm' });
    expect(d.send({ type: 'child-missed-rotation' })).toEqual([]);
  });
});
