/**
 * Random walks through the machine: whatever order events come in (answers, timers, keys, signals,
 * stale or duplicated ones), the rules that keep a person's processes safe must hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/config/options.js';
import type { Effect, RejectionReason, SupervisorEvent } from '../../src/supervisor/types.js';
import { facts, MachineDriver, MINUTE } from './machine-driver.js';

const ACTIONS = [
  'answer-verify',
  'answer-verify',
  'reject-verify',
  'child-started',
  'child-exited',
  'child-stopped',
  'answer-probe',
  'probe-due',
  'refresh-due',
  'expired',
  'backoff-elapsed',
  'fresh',
  'error-line',
  'stop',
  'advance',
] as const;
const REJECTIONS: RejectionReason[] = [
  'missing',
  'expired',
  'invalid',
  'malformed',
  'not-ready',
  'network',
  'root',
];
const STOPS = ['key', 'sigint', 'sigterm', 'sighup', 'control'] as const;
const TRIGGERS = ['file', 'profile', 'reload', 'signal', 'key'] as const;
const PURPOSES = ['restart', 'verify', 'probe'] as const;

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length]!;
}

/** Turns a random action into an event the real orchestrator could plausibly send now. */
function eventFor(d: MachineDriver, action: (typeof ACTIONS)[number], n: number): SupervisorEvent | null {
  const s = d.state;
  const lastAsked = (type: 'verify-candidate' | 'probe-now') =>
    d.log.filter((e): e is Extract<Effect, { type: typeof type }> => e.type === type).at(-1)?.candidateId ??
    0;
  const expiresAt = s.credentials?.expiresAt ?? d.now;
  switch (action) {
    case 'answer-verify':
      return {
        type: 'credentials-verified',
        candidateId: lastAsked('verify-candidate') - (n % 5 === 0 ? 1 : 0), // sometimes stale
        credentials: facts({
          fingerprint: `ASIA${n % 3}`,
          expiresAt: pick([null, d.now + 5 * MINUTE, d.now + 60 * MINUTE, d.now + 15 * MINUTE], n),
        }),
      };
    case 'reject-verify':
      return {
        type: 'credentials-rejected',
        candidateId: lastAsked('verify-candidate'),
        reason: pick(REJECTIONS, n),
        message: `problem ${n % 4}`,
      };
    case 'child-started':
      return { type: 'child-started', pid: 100 + n };
    case 'child-exited':
      return { type: 'child-exited', code: pick([0, 1, 2, null], n), signal: n % 4 === 3 ? 'SIGKILL' : null };
    case 'child-stopped':
      return { type: 'child-stopped' };
    case 'answer-probe':
      return n % 3 === 0
        ? { type: 'probe-ok', candidateId: lastAsked('probe-now') }
        : {
            type: 'probe-failed',
            candidateId: lastAsked('probe-now'),
            kind: pick(['expired', 'invalid', 'network'] as const, n),
            message: 'probe says no',
          };
    case 'probe-due':
      return { type: 'probe-due' };
    case 'refresh-due':
      return { type: 'refresh-due', expiresAt };
    case 'expired':
      return { type: 'expired', expiresAt };
    case 'backoff-elapsed':
      return { type: 'backoff-elapsed', purpose: pick(PURPOSES, n) };
    case 'fresh':
      return { type: 'fresh-credentials-available', trigger: pick(TRIGGERS, n) };
    case 'error-line':
      return { type: 'output-error-line', kind: 'expired' };
    case 'stop':
      return { type: 'stop-requested', reason: pick(STOPS, n), force: n % 7 === 0 };
    case 'advance':
      d.advance((n % 20) * MINUTE);
      return null;
  }
}

const walk = fc.record({
  delivery: fc.constantFrom<Delivery>('endpoint', 'env', 'profile'),
  exitOnFatal: fc.boolean(),
  steps: fc.array(fc.tuple(fc.constantFrom(...ACTIONS), fc.nat(1000)), { maxLength: 80 }),
});

describe('state machine invariants (random walks)', () => {
  it('never runs two children, never starts on unverified credentials, exits once and last', () => {
    fc.assert(
      fc.property(walk, ({ delivery, exitOnFatal, steps }) => {
        const d = new MachineDriver({ delivery, exitOnFatal });
        const verifiedIds = new Set<number>();
        let exits = 0;
        d.send({ type: 'start' });
        for (const [action, n] of steps) {
          const event = eventFor(d, action, n);
          if (!event) continue;
          const before = d.state;
          const effects = d.send(event);
          if (event.type === 'credentials-verified') verifiedIds.add(event.candidateId);

          for (const [i, effect] of effects.entries()) {
            if (effect.type === 'spawn-child') {
              // One child at a time: a spawn only once the previous group is confirmed gone.
              expect(before.child === null || before.child.phase === 'stopping').toBe(true);
              expect(verifiedIds.has(effect.candidateId)).toBe(true);
            }
            if (effect.type === 'serve-credentials') {
              expect(delivery).toBe('endpoint');
              expect(before.child?.tainted).toBe(false);
              expect(verifiedIds.has(effect.candidateId)).toBe(true);
            }
            if (effect.type === 'stop-child') {
              expect(before.child).not.toBeNull();
              expect(before.child?.phase).not.toBe('stopping');
            }
            if (effect.type === 'exit') {
              exits++;
              expect(i).toBe(effects.length - 1);
              expect(d.state.exitCode).toBe(effect.code);
            }
          }
          const s = d.state;
          if (s.status === 'running') expect(s.child?.phase).toBe('running');
          if (s.status === 'waiting-for-credentials' || s.status === 'backoff' || s.status === 'fatal') {
            expect(s.child === null || s.child.phase === 'stopping').toBe(true);
          }
          if (s.child) expect(s.credentials).not.toBeNull();
          if (before.status === 'stopped') expect(effects).toEqual([]);
        }
        expect(exits).toBeLessThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  it('a network failure alone never stops a running child whose credentials are still valid', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('probe', 'verify'), { minLength: 1, maxLength: 20 }), (kinds) => {
        const d = new MachineDriver().startRunning();
        for (const kind of kinds) {
          if (kind === 'probe') {
            d.send({ type: 'probe-due' });
            d.send({ type: 'backoff-elapsed', purpose: 'probe' });
            d.send({ type: 'probe-failed', candidateId: d.lastProbeId(), kind: 'network', message: 'down' });
          } else {
            d.send({ type: 'fresh-credentials-available', trigger: 'reload' });
            d.rejected('network', 'down');
          }
          d.advance(MINUTE);
        }
        expect(d.state.status).toBe('running');
        expect(d.log.some((e) => e.type === 'stop-child')).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
