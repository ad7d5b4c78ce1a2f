import { describe, expect, it } from 'vitest';
import { planChildExit } from '../../src/procfile/child-exit-plan.js';
import { DEFAULT_BACKOFF_POLICY, NO_CRASHES } from '../../src/supervisor/backoff.js';

const base = { name: 'api', signal: null, history: NO_CRASHES, now: 1_000_000, ranForMs: 500 };

describe('planChildExit', () => {
  it('restarts a crash under on-failure with the first backoff delay', () => {
    const plan = planChildExit({ ...base, code: 1, restart: 'on-failure' }, DEFAULT_BACKOFF_POLICY);
    expect(plan).toMatchObject({ kind: 'restart', delayMs: 1000 });
    expect(plan.message).toContain('`api` exited with code 1; restarting it in 1 s.');
  });

  it('leaves a clean exit alone under on-failure, restarts it under always', () => {
    expect(planChildExit({ ...base, code: 0, restart: 'on-failure' }, DEFAULT_BACKOFF_POLICY).kind).toBe(
      'exited',
    );
    expect(planChildExit({ ...base, code: 0, restart: 'always' }, DEFAULT_BACKOFF_POLICY).kind).toBe(
      'restart',
    );
  });

  it('never restarts under never, even after a crash or a signal', () => {
    expect(planChildExit({ ...base, code: 2, restart: 'never' }, DEFAULT_BACKOFF_POLICY)).toMatchObject({
      kind: 'exited',
      message: '`api` exited with code 2; not restarted (restart: never).',
    });
    expect(
      planChildExit({ ...base, code: null, signal: 'SIGSEGV', restart: 'never' }, DEFAULT_BACKOFF_POLICY)
        .message,
    ).toContain('was ended by SIGSEGV');
  });

  it('makes 127 and 126 fatal for that child at once, naming the restart command', () => {
    const notFound = planChildExit({ ...base, code: 127, restart: 'always' }, DEFAULT_BACKOFF_POLICY);
    expect(notFound).toMatchObject({ kind: 'fatal' });
    expect(notFound.message).toContain('its command was not found (exit 127)');
    expect(notFound.message).toContain('`cred-supervisor restart api`');
    const notExec = planChildExit({ ...base, code: 126, restart: 'always' }, DEFAULT_BACKOFF_POLICY);
    expect(notExec.message).toContain('cannot be executed (exit 126)');
  });

  it('grows the delay per crash and makes a crash loop fatal for that child only', () => {
    let history = NO_CRASHES;
    const delays: number[] = [];
    for (let i = 0; i < DEFAULT_BACKOFF_POLICY.maxCrashes - 1; i++) {
      const plan = planChildExit(
        { ...base, code: 1, restart: 'always', history, now: base.now + i },
        DEFAULT_BACKOFF_POLICY,
      );
      if (plan.kind !== 'restart') throw new Error(`expected a restart, got ${plan.kind}`);
      delays.push(plan.delayMs);
      history = plan.history;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    const last = planChildExit(
      { ...base, code: 1, restart: 'always', history, now: base.now + 10 },
      DEFAULT_BACKOFF_POLICY,
    );
    expect(last.kind).toBe('fatal');
    expect(last.message).toContain('the other processes keep running');
  });
});
