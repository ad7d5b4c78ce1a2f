import { describe, expect, it } from 'vitest';
import { facts, find, HOUR, MachineDriver, MINUTE, T0, types } from './machine-driver.js';

describe('start', () => {
  it('prints the status line and verifies before the first spawn', () => {
    const d = new MachineDriver();
    expect(types(d.send({ type: 'start' }))).toEqual(['print-status', 'verify-candidate']);
    expect(d.state.status).toBe('starting');
    expect(d.log.some((e) => e.type === 'spawn-child')).toBe(false);
  });

  it('spawns with the verified candidate, then runs and tracks its expiry', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    const id = d.lastVerifyId();
    const spawning = d.verified();
    expect(spawning).toContainEqual({ type: 'spawn-child', candidateId: id });
    expect(spawning).toContainEqual({ type: 'track-expiry', expiresAt: T0 + HOUR });
    const started = d.send({ type: 'child-started', pid: 99 });
    expect(d.state.status).toBe('running');
    expect(d.state.child).toMatchObject({ phase: 'running', pid: 99, startedAt: T0, candidateId: id });
    expect(types(started)).toEqual(['print-status']);
  });

  it('a missing source leaves us waiting with the prompt and a notification, never spawning', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    const effects = d.rejected('missing', 'No credentials: the file does not exist and no --profile.');
    expect(d.state.status).toBe('waiting-for-credentials');
    expect(find(effects, 'print-prompt')?.reason).toEqual({
      kind: 'missing',
      detail: 'No credentials: the file does not exist and no --profile.',
    });
    expect(find(effects, 'notify')?.attention.kind).toBe('credentials-needed');
    expect(types(effects)).not.toContain('spawn-child');
    expect(d.state.lastError).toContain('file does not exist');
  });

  it.each([
    ['malformed', 'The file is not in a known format.'],
    ['wrong-account', 'Account 999 is not the expected 123456789012.'],
    ['root', 'Root credentials are refused.'],
    ['unsafe', 'The file is readable by others. Run chmod 600.'],
  ] as const)('a %s candidate is refused with its message and we keep waiting', (reason, message) => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    const effects = d.rejected(reason, message);
    expect(d.state.status).toBe('waiting-for-credentials');
    expect(find(effects, 'print-prompt')?.reason).toEqual({
      kind: 'rejected',
      problem: reason,
      detail: message,
    });
    expect(types(effects)).not.toContain('spawn-child');
  });

  it('accepts fresh credentials with less than --refresh-before but more than --stop-before left', () => {
    const d = new MachineDriver({ refreshBeforeMs: 10 * MINUTE, stopBeforeMs: MINUTE });
    d.send({ type: 'start' });
    const effects = d.verified({ expiresAt: T0 + 5 * MINUTE });
    expect(types(effects)).toContain('spawn-child');
  });

  it('refuses credentials that would reach --stop-before right away', () => {
    const d = new MachineDriver({ refreshBeforeMs: 10 * MINUTE, stopBeforeMs: MINUTE });
    d.send({ type: 'start' });
    const effects = d.verified({ expiresAt: T0 + 50_000 });
    expect(types(effects)).not.toContain('spawn-child');
    const prompt = find(effects, 'print-prompt');
    expect(prompt?.reason).toMatchObject({ kind: 'rejected', problem: 'expiring-soon' });
    expect(prompt?.reason.kind === 'rejected' && prompt.reason.detail).toMatch(
      /expire in 50s.*--stop-before \(1m\)/,
    );
  });

  it('accepts long-term credentials (no expiration) and tracks no expiry', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    const spawning = d.verified({ expiresAt: null, fingerprint: 'AKIALONG' });
    d.send({ type: 'child-started', pid: 1 });
    expect(d.state.status).toBe('running');
    expect(types(d.log)).not.toContain('track-expiry');
    expect(types(spawning)).toContain('spawn-child');
  });

  it('STS unreachable at start: no prompt, retries with growing delays', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    const first = d.rejected('network', 'STS unreachable (ECONNREFUSED).');
    // Still starting: nothing is asked of the person, and lastError says what is retried.
    expect(d.state.status).toBe('starting');
    expect(d.state.lastError).toBe('STS unreachable (ECONNREFUSED). Retrying.');
    expect(types(first)).not.toContain('print-prompt');
    expect(types(first)).not.toContain('notify');
    expect(find(first, 'schedule-backoff')).toEqual({
      type: 'schedule-backoff',
      purpose: 'verify',
      delayMs: 1000,
    });
    expect(find(first, 'print')?.message).toMatch(/ECONNREFUSED.*Retrying in 1s/);

    expect(types(d.send({ type: 'backoff-elapsed', purpose: 'verify' }))).toContain('verify-candidate');
    const second = d.rejected('network', 'STS unreachable (ECONNREFUSED).');
    expect(find(second, 'schedule-backoff')?.delayMs).toBe(2000);
    expect(types(second)).not.toContain('print'); // same message: not repeated

    d.send({ type: 'backoff-elapsed', purpose: 'verify' });
    expect(types(d.verified())).toContain('spawn-child');
    expect(d.state.verifyFailures).toBe(0);
    d.send({ type: 'child-started', pid: 7 });
    expect(d.state).toMatchObject({ status: 'running', lastError: null });
  });

  it('a half-written file at start still shows the prompt (its watcher reports the finished write)', () => {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    const effects = d.rejected('not-ready', 'The credentials file is empty.');
    expect(types(effects)).toEqual(expect.arrayContaining(['print-prompt', 'notify']));
    expect(types(effects)).not.toContain('schedule-backoff');
  });
});

describe('waiting for credentials', () => {
  function waiting() {
    const d = new MachineDriver();
    d.send({ type: 'start' });
    d.rejected('missing', 'No credentials found.');
    return d;
  }

  it('fresh credentials are verified, then the child starts', () => {
    const d = waiting();
    const asked = d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    expect(types(asked)).toEqual(['verify-candidate']);
    expect(types(d.verified({ fingerprint: 'ASIANEW' }))).toContain('spawn-child');
    expect(d.state.status).toBe('starting');
  });

  it('another rejected candidate only says what changed: no new prompt, no restart', () => {
    const d = waiting();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const effects = d.rejected('malformed', 'Line 2 is not KEY=VALUE.');
    expect(d.state.status).toBe('waiting-for-credentials');
    expect(types(effects)).toEqual(['print']);
    expect(find(effects, 'print')).toMatchObject({ level: 'warn', message: 'Line 2 is not KEY=VALUE.' });

    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    expect(d.rejected('malformed', 'Line 2 is not KEY=VALUE.')).toEqual([]);
  });

  it('the scheduled check re-reads the sources while waiting', () => {
    const d = waiting();
    expect(types(d.send({ type: 'probe-due' }))).toEqual(['verify-candidate']);
    // ...but not twice at once
    expect(d.send({ type: 'probe-due' })).toEqual([]);
  });

  it('a request during a verification queues exactly one more', () => {
    const d = waiting();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const first = d.lastVerifyId();
    expect(d.send({ type: 'fresh-credentials-available', trigger: 'file' })).toEqual([]);
    expect(d.send({ type: 'fresh-credentials-available', trigger: 'reload' })).toEqual([]);
    const after = d.rejected('not-ready', 'The file is empty; waiting for its writer.');
    const again = find(after, 'verify-candidate');
    expect(again?.candidateId).toBeGreaterThan(first);
    expect(d.state.verification).toEqual({ candidateId: again?.candidateId, again: false });
  });

  it('ignores a stale answer for an earlier candidate', () => {
    const d = waiting();
    const stale = d.lastVerifyId();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const before = d.state;
    expect(d.send({ type: 'credentials-verified', candidateId: stale, credentials: facts() })).toEqual([]);
    expect(d.state).toBe(before);
  });
});

describe('new credentials while the child runs', () => {
  it('endpoint delivery, child never failed: served without a restart', () => {
    const d = new MachineDriver({ delivery: 'endpoint' }).startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const id = d.lastVerifyId();
    const effects = d.verified({ fingerprint: 'ASIASECOND', expiresAt: T0 + 2 * HOUR });
    expect(effects).toContainEqual({ type: 'serve-credentials', candidateId: id });
    expect(types(effects)).not.toContain('stop-child');
    expect(effects).toContainEqual({ type: 'track-expiry', expiresAt: T0 + 2 * HOUR });
    expect(types(effects)).toContain('print-status');
    expect(d.state.status).toBe('running');
    expect(d.state.child?.candidateId).toBe(id);
  });

  it('env delivery: every change restarts, with the new candidate', () => {
    const d = new MachineDriver({ delivery: 'env' }).startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const id = d.lastVerifyId();
    const effects = d.verified({ fingerprint: 'ASIASECOND', expiresAt: T0 + 2 * HOUR });
    expect(effects).toContainEqual({ type: 'stop-child', reason: 'restart' });
    expect(types(effects)).not.toContain('serve-credentials');
    expect(d.state.status).toBe('starting');
    expect(d.send({ type: 'child-stopped' })).toContainEqual({ type: 'spawn-child', candidateId: id });
    d.send({ type: 'child-started', pid: 7 });
    expect(d.state).toMatchObject({ status: 'running', restarts: 1 });
  });

  it('profile delivery: the child refreshes itself, nothing is served or restarted', () => {
    const d = new MachineDriver({ delivery: 'profile' }).startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'profile' });
    const effects = d.verified({ fingerprint: 'ASIASECOND', expiresAt: T0 + 2 * HOUR });
    expect(types(effects)).not.toContain('serve-credentials');
    expect(types(effects)).not.toContain('stop-child');
    expect(d.state.credentials?.fingerprint).toBe('ASIASECOND');
  });

  it('the same credentials again (file touched) change nothing', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    expect(d.verified()).toEqual([]);
    expect(d.state.status).toBe('running');
  });

  it('a rejected candidate while the current ones work: warn, keep the child, never restart', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const effects = d.rejected('wrong-account', 'Account 999999999999 is not the expected 123456789012.');
    expect(types(effects)).toEqual(['print']);
    expect(find(effects, 'print')?.message).toMatch(
      /Ignored the new credentials: Account 999999999999.*Keeping/,
    );
    expect(d.state.status).toBe('running');
  });

  it('a half-written file while the current ones work is ignored quietly', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    expect(d.rejected('not-ready', 'The file is empty.')).toEqual([]);
  });

  it('new credentials within --stop-before of expiry are not taken over working ones', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const effects = d.verified({ fingerprint: 'ASIASHORT', expiresAt: T0 + 30_000 });
    expect(types(effects)).toEqual(['print']);
    expect(d.state.credentials?.fingerprint).toBe('ASIAFIRST');
  });
});
