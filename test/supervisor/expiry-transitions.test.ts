import { describe, expect, it } from 'vitest';
import { find, HOUR, MachineDriver, MINUTE, T0, types } from './machine-driver.js';

const EXPIRES = T0 + HOUR;

function runningAtRefreshTime(config: ConstructorParameters<typeof MachineDriver>[0] = {}) {
  const d = new MachineDriver(config).startRunning({ expiresAt: EXPIRES });
  d.advance(50 * MINUTE); // --refresh-before 10m
  return d;
}

describe('refresh-before', () => {
  it('warns, then tries the source before anything else', () => {
    const d = runningAtRefreshTime();
    const effects = d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    expect(types(effects)).toEqual(['warn-expiring', 'verify-candidate']);
    expect(find(effects, 'warn-expiring')?.expiresAt).toBe(EXPIRES);
    expect(d.state.status).toBe('running');
  });

  it('fresh credentials from the source are served; the child keeps running', () => {
    const d = runningAtRefreshTime();
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    const effects = d.verified({ fingerprint: 'ASIAREFRESHED', expiresAt: EXPIRES + HOUR });
    expect(types(effects)).toContain('serve-credentials');
    expect(types(effects)).not.toContain('stop-child');
    expect(effects).toContainEqual({ type: 'track-expiry', expiresAt: EXPIRES + HOUR });
    expect(d.state.refreshDue).toBe(false);
  });

  it('no fresher credentials at --refresh-before: the child keeps running and the source is tried again', () => {
    const d = runningAtRefreshTime();
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    const kept = d.verified({ expiresAt: EXPIRES }); // the source still has the same ones
    expect(types(kept)).not.toContain('stop-child');
    expect(find(kept, 'schedule-backoff')).toMatchObject({ purpose: 'verify' });
    expect(d.state.status).toBe('running');
  });

  it('no fresher credentials by --stop-before: stops the child BEFORE expiry, then prompts once it is gone', () => {
    const d = runningAtRefreshTime();
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    d.verified({ expiresAt: EXPIRES });
    d.advance(9 * MINUTE); // --stop-before (1m) before EXPIRES
    const stopping = d.send({ type: 'stop-due', expiresAt: EXPIRES });
    expect(stopping).toContainEqual({ type: 'stop-child', reason: 'credentials-needed' });
    expect(stopping).toContainEqual({ type: 'track-expiry', expiresAt: null });
    expect(types(stopping)).not.toContain('print-prompt');
    expect(d.state.status).toBe('waiting-for-credentials');
    expect(d.now).toBeLessThan(EXPIRES);

    const gone = d.send({ type: 'child-stopped' });
    const prompt = find(gone, 'print-prompt');
    expect(prompt?.reason).toMatchObject({ kind: 'expiring', expiresAt: EXPIRES });
    expect(find(gone, 'notify')?.attention).toEqual({ kind: 'credentials-needed', reason: prompt?.reason });
    expect(d.state.child).toBeNull();
  });

  it('a definitive rejection at refresh time warns and keeps the child until --stop-before', () => {
    const d = runningAtRefreshTime();
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    const effects = d.rejected('profile-failed', 'The SSO session for profile dev has expired.');
    expect(types(effects)).not.toContain('stop-child');
    expect(types(effects)).toContain('print');
    expect(d.state.status).toBe('running');
    d.advance(9 * MINUTE);
    expect(d.send({ type: 'stop-due', expiresAt: EXPIRES })).toContainEqual({
      type: 'stop-child',
      reason: 'credentials-needed',
    });
  });

  it('a network blip at refresh time keeps the child and retries; expiry then stops it', () => {
    const d = runningAtRefreshTime();
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    const blip = d.rejected('network', 'STS unreachable (ETIMEDOUT).');
    expect(types(blip)).not.toContain('stop-child');
    expect(find(blip, 'schedule-backoff')).toMatchObject({ purpose: 'verify', delayMs: 1000 });
    expect(d.state.status).toBe('running');

    d.advance(1000);
    expect(types(d.send({ type: 'backoff-elapsed', purpose: 'verify' }))).toEqual(['verify-candidate']);
    expect(find(d.rejected('network', 'STS unreachable (ETIMEDOUT).'), 'schedule-backoff')?.delayMs).toBe(
      2000,
    );

    d.advance(10 * MINUTE);
    d.send({ type: 'backoff-elapsed', purpose: 'verify' });
    d.send({ type: 'expired', expiresAt: EXPIRES }); // the verification is still in flight
    const stopping = d.rejected('network', 'STS unreachable (ETIMEDOUT).');
    expect(stopping).toContainEqual({ type: 'stop-child', reason: 'credentials-needed' });
    expect(find(stopping, 'schedule-backoff')?.purpose).toBe('verify'); // and keep trying
    expect(find(d.send({ type: 'child-stopped' }), 'print-prompt')?.reason.kind).toBe('expired');
  });

  it('ignores a timer armed for other credentials, and a second refresh-due', () => {
    const d = runningAtRefreshTime();
    expect(d.send({ type: 'refresh-due', expiresAt: EXPIRES - 1 })).toEqual([]);
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    expect(d.send({ type: 'refresh-due', expiresAt: EXPIRES })).toEqual([]);
  });
});

describe('expiry passed while the child runs', () => {
  it('the child ran on dead credentials: fresh ones restart it, even with endpoint delivery', () => {
    const d = new MachineDriver({ refreshBeforeMs: 0 }).startRunning({ expiresAt: EXPIRES });
    d.advance(HOUR);
    expect(types(d.send({ type: 'expired', expiresAt: EXPIRES }))).toEqual(['verify-candidate']);
    expect(d.state.child?.tainted).toBe(true);
    const effects = d.verified({ fingerprint: 'ASIANEW', expiresAt: EXPIRES + HOUR });
    expect(effects).toContainEqual({ type: 'stop-child', reason: 'restart' });
    expect(types(effects)).not.toContain('serve-credentials');
    expect(types(d.send({ type: 'child-stopped' }))).toContain('spawn-child');
    d.send({ type: 'child-started', pid: 2 });
    expect(d.state.child?.tainted).toBe(false);
  });

  it('without fresh ones: stop, then the prompt says they expired', () => {
    const d = new MachineDriver({ refreshBeforeMs: 0 }).startRunning({ expiresAt: EXPIRES });
    d.advance(HOUR);
    d.send({ type: 'expired', expiresAt: EXPIRES });
    d.rejected('expired', 'The credentials in the file expired at 13:00.');
    const gone = d.send({ type: 'child-stopped' });
    expect(find(gone, 'print-prompt')?.reason).toMatchObject({ kind: 'expired', expiresAt: EXPIRES });
  });
});

describe('scheduled STS probe', () => {
  it('probes the credentials the child uses, one probe at a time', () => {
    const d = new MachineDriver().startRunning();
    const id = d.state.child!.candidateId;
    expect(d.send({ type: 'probe-due' })).toEqual([{ type: 'probe-now', candidateId: id }]);
    expect(d.send({ type: 'probe-due' })).toEqual([]);
    expect(d.send({ type: 'probe-ok', candidateId: id })).toEqual([]);
    expect(d.send({ type: 'probe-due' })).toHaveLength(1);
  });

  it('network failures never stop a running child: counted, retried with backoff, said once', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'probe-due' });
    const first = d.send({
      type: 'probe-failed',
      candidateId: d.lastProbeId(),
      kind: 'network',
      message: 'ECONNREFUSED',
    });
    expect(types(first)).toEqual(['schedule-backoff', 'print']);
    expect(find(first, 'schedule-backoff')).toMatchObject({ purpose: 'probe', delayMs: 1000 });
    expect(types(d.send({ type: 'backoff-elapsed', purpose: 'probe' }))).toEqual(['probe-now']);
    const second = d.send({
      type: 'probe-failed',
      candidateId: d.lastProbeId(),
      kind: 'network',
      message: 'ECONNREFUSED',
    });
    expect(second).toEqual([{ type: 'schedule-backoff', purpose: 'probe', delayMs: 2000 }]);
    expect(d.state).toMatchObject({ status: 'running', probe: { networkFailures: 2 } });
    expect(d.log.some((e) => e.type === 'stop-child')).toBe(false);

    expect(d.state.lastError).toBe('ECONNREFUSED');

    d.send({ type: 'backoff-elapsed', purpose: 'probe' });
    d.send({ type: 'probe-ok', candidateId: d.lastProbeId() });
    expect(d.state.probe.networkFailures).toBe(0);
    expect(d.state.lastError).toBeNull(); // recovered: the error is over
  });

  it.each([
    ['expired', 'expired'],
    ['invalid', 'revoked'],
  ] as const)('probe says %s: verify the source; nothing fresh → stop and prompt (%s)', (kind, waitKind) => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'probe-due' });
    const effects = d.send({
      type: 'probe-failed',
      candidateId: d.lastProbeId(),
      kind,
      message: 'STS said no',
    });
    expect(types(effects)).toEqual(['verify-candidate']);
    expect(d.state.child?.tainted).toBe(true);
    expect(d.verified()).toContainEqual({ type: 'stop-child', reason: 'credentials-needed' });
    expect(find(d.send({ type: 'child-stopped' }), 'print-prompt')?.reason.kind).toBe(waitKind);
  });

  it('STS says expired an hour before the expiration: the prompt names no expiry time', () => {
    const d = new MachineDriver().startRunning({ expiresAt: EXPIRES });
    d.advance(MINUTE);
    d.send({ type: 'probe-due' });
    d.send({ type: 'probe-failed', candidateId: d.lastProbeId(), kind: 'expired', message: 'ExpiredToken' });
    d.verified({ expiresAt: EXPIRES }); // the source still has the same ones
    const reason = find(d.send({ type: 'child-stopped' }), 'print-prompt')?.reason;
    expect(reason).toEqual({ kind: 'expired', expiresAt: null, detail: expect.any(String) });
  });

  it('ignores a probe answer about credentials the child no longer uses', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'probe-due' });
    const oldId = d.lastProbeId();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    d.verified({ fingerprint: 'ASIANEW', expiresAt: EXPIRES + HOUR }); // served
    expect(d.send({ type: 'probe-failed', candidateId: oldId, kind: 'expired', message: 'old' })).toEqual([]);
    expect(d.state.credentialsBroken).toBeNull();
    expect(d.state.probe.inFlight).toBe(false);
  });
});

describe('credential error lines in the child output', () => {
  it('are checked with STS, not trusted blindly; the child keeps running when STS says ok', () => {
    const d = new MachineDriver().startRunning();
    const effects = d.send({ type: 'output-error-line', kind: 'expired' });
    expect(types(effects)).toEqual(['print', 'probe-now']);
    expect(d.send({ type: 'output-error-line', kind: 'expired' })).toEqual([]); // burst: one probe
    d.send({ type: 'probe-ok', candidateId: d.lastProbeId() });
    expect(d.state.status).toBe('running');
    expect(d.log.some((e) => e.type === 'stop-child')).toBe(false);
  });

  it('mark the child: the next fresh credentials restart it instead of being served', () => {
    const d = new MachineDriver({ delivery: 'endpoint' }).startRunning();
    d.send({ type: 'output-error-line', kind: 'invalid' });
    d.send({ type: 'probe-ok', candidateId: d.lastProbeId() });
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const effects = d.verified({ fingerprint: 'ASIANEW', expiresAt: EXPIRES + HOUR });
    expect(effects).toContainEqual({ type: 'stop-child', reason: 'restart' });
    expect(types(effects)).not.toContain('serve-credentials');
  });

  it('printed before the start is confirmed, are checked as soon as it is', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    d.verified();
    expect(d.state.child?.phase).toBe('spawning');
    expect(d.send({ type: 'output-error-line', kind: 'expired' })).toEqual([]);
    const effects = d.send({ type: 'child-started', pid: 4242 });
    expect(types(effects)).toEqual(['print', 'probe-now', 'print-status']);
    expect(d.state.status).toBe('running');
    expect(d.state.child?.tainted).toBe(true);
    expect(d.state.child?.errorLineWhileSpawning).toBeUndefined();
  });

  it('are ignored while no child runs', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    expect(d.send({ type: 'output-error-line', kind: 'expired' })).toEqual([]);
  });
});

describe('error-line floods', () => {
  it('a child printing ExpiredToken 1000 times a second while its credentials work drives few probes', () => {
    const d = new MachineDriver().startRunning();
    let probes = 0;
    // Ten seconds of a flood: one line every millisecond; each probe answers OK 50 ms later.
    let answerAt: number | null = null;
    for (let ms = 0; ms < 10_000; ms++) {
      d.advance(1);
      if (answerAt !== null && d.now >= answerAt) {
        d.send({ type: 'probe-ok', candidateId: d.lastProbeId() });
        answerAt = null;
      }
      const effects = d.send({ type: 'output-error-line', kind: 'expired' });
      if (types(effects).includes('probe-now')) {
        probes++;
        answerAt = d.now + 50;
      }
    }
    // Quiet times 1 s, 2 s, 4 s after each false alarm: 4 probes in 10 s, not one per line.
    expect(probes).toBeLessThanOrEqual(5);
    expect(probes).toBeGreaterThanOrEqual(2);
    expect(d.state.status).toBe('running');
  });

  it('a real failure found by an error-line probe still acts at once', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'output-error-line', kind: 'expired' });
    const effects = d.send({
      type: 'probe-failed',
      candidateId: d.lastProbeId(),
      kind: 'expired',
      message: 'ExpiredToken',
    });
    expect(types(effects)).toContain('verify-candidate');
    expect(d.state.credentialsBroken).toBe('expired');
  });
});

describe('clock skew', () => {
  it('a probe refused for the signing time keeps the child running and probes again later', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'probe-due' });
    const effects = d.send({
      type: 'probe-failed',
      candidateId: d.lastProbeId(),
      kind: 'clock-skew',
      message: "STS rejected the request's timestamp: this machine's clock is wrong.",
    });
    expect(types(effects)).not.toContain('stop-child');
    expect(find(effects, 'schedule-backoff')?.purpose).toBe('probe');
    expect(d.state.credentialsBroken).toBeNull();
    expect(d.state.status).toBe('running');
  });

  it('a verification refused for the signing time at refresh time never stops the child while time is left', () => {
    const d = runningAtRefreshTime();
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    const effects = d.rejected('clock-skew', "STS rejected the request's timestamp.");
    expect(types(effects)).not.toContain('stop-child');
    expect(find(effects, 'schedule-backoff')?.purpose).toBe('verify');
  });
});

describe('stop timing', () => {
  it('credentials with 150 s left run the child, which is stopped between 90 s and 0 s before expiry', () => {
    const d = new MachineDriver({ refreshBeforeMs: 10 * MINUTE, stopBeforeMs: MINUTE });
    d.send({ type: 'start' });
    const expiresAt = T0 + 150_000;
    expect(types(d.verified({ expiresAt }))).toContain('spawn-child');
    d.send({ type: 'child-started', pid: 7 });
    expect(d.state.status).toBe('running');
    // --refresh-before is already past: refreshing starts, the child keeps running.
    d.send({ type: 'refresh-due', expiresAt });
    d.verified({ expiresAt });
    expect(d.state.status).toBe('running');
    d.advance(90_000);
    const stopping = d.send({ type: 'stop-due', expiresAt });
    expect(stopping).toContainEqual({ type: 'stop-child', reason: 'credentials-needed' });
    const left = expiresAt - d.now;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(90_000);
  });

  it('an STS outage across --refresh-before never stops the child while more than --stop-before is left', () => {
    const d = runningAtRefreshTime();
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    for (let i = 0; i < 8; i++) {
      const effects = d.rejected('network', 'STS could not be reached (ECONNREFUSED).');
      expect(types(effects)).not.toContain('stop-child');
      d.advance(MINUTE);
      if (EXPIRES - d.now <= MINUTE) break;
      d.send({ type: 'backoff-elapsed', purpose: 'verify' });
    }
    expect(d.state.status).toBe('running');
  });

  it('clears lastError once a refresh goes through again after an outage', () => {
    const d = runningAtRefreshTime();
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    d.rejected('network', 'STS could not be reached (ECONNREFUSED).');
    expect(d.state.lastError).toMatch(/ECONNREFUSED/);
    d.send({ type: 'backoff-elapsed', purpose: 'verify' });
    d.verified({ expiresAt: EXPIRES }); // STS answers: the same credentials, nothing fresher yet
    expect(d.state).toMatchObject({ status: 'running', lastError: null });
  });
});

describe('--stop-before with a refresh in flight', () => {
  it('lets the refresh finish: fresh credentials are served and the child is never stopped', () => {
    const d = runningAtRefreshTime({ refreshBeforeMs: 10 * MINUTE, stopBeforeMs: 10 * MINUTE });
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    expect(types(d.send({ type: 'stop-due', expiresAt: EXPIRES }))).not.toContain('stop-child');
    const effects = d.verified({ fingerprint: 'ASIAFRESH', expiresAt: EXPIRES + HOUR });
    expect(types(effects)).toContain('serve-credentials');
    expect(types(effects)).not.toContain('stop-child');
  });

  it('and stops the child when the refresh brings nothing fresher', () => {
    const d = runningAtRefreshTime({ refreshBeforeMs: 10 * MINUTE, stopBeforeMs: 10 * MINUTE });
    d.send({ type: 'refresh-due', expiresAt: EXPIRES });
    d.send({ type: 'stop-due', expiresAt: EXPIRES });
    expect(d.rejected('network', 'STS could not be reached.')).toContainEqual({
      type: 'stop-child',
      reason: 'credentials-needed',
    });
  });
});
