import { DEFAULT_BACKOFF_POLICY } from '../../src/supervisor/backoff.js';
import { createInitialState, transition } from '../../src/supervisor/state-machine.js';
import type {
  Effect,
  MachineConfig,
  SupervisorEvent,
  SupervisorState,
  VerifiedCredentialFacts,
} from '../../src/supervisor/types.js';

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export function facts(overrides: Partial<VerifiedCredentialFacts> = {}): VerifiedCredentialFacts {
  return {
    account: '123456789012',
    arn: 'arn:aws:sts::123456789012:assumed-role/Dev/alice',
    fingerprint: 'ASIAFIRST',
    expiresAt: T0 + HOUR,
    source: '/work/app/.cred-supervisor/credentials',
    ...overrides,
  };
}

/** Feeds events to the pure machine with a clock the test moves, and remembers what it asked for. */
export class MachineDriver {
  state: SupervisorState = createInitialState();
  now = T0;
  readonly config: MachineConfig;
  /** Every effect so far, in order. */
  readonly log: Effect[] = [];

  constructor(config: Partial<MachineConfig> = {}) {
    this.config = {
      delivery: 'endpoint',
      refreshBeforeMs: 10 * MINUTE,
      stopBeforeMs: MINUTE,
      backoff: DEFAULT_BACKOFF_POLICY,
      exitOnFatal: false,
      ...config,
    };
  }

  send(event: SupervisorEvent): Effect[] {
    const result = transition(this.state, event, { now: this.now, config: this.config });
    this.state = result.state;
    this.log.push(...result.effects);
    return result.effects;
  }

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  /** The candidate id of the most recent verify-candidate effect. */
  lastVerifyId(): number {
    const asked = this.log.filter((e) => e.type === 'verify-candidate');
    const last = asked.at(-1);
    if (!last) throw new Error('Expected a verify-candidate effect, got none');
    return last.candidateId;
  }

  lastProbeId(): number {
    const last = this.log.filter((e) => e.type === 'probe-now').at(-1);
    if (!last) throw new Error('Expected a probe-now effect, got none');
    return last.candidateId;
  }

  verified(overrides: Partial<VerifiedCredentialFacts> = {}): Effect[] {
    return this.send({
      type: 'credentials-verified',
      candidateId: this.lastVerifyId(),
      credentials: facts(overrides),
    });
  }

  rejected(
    reason: Extract<SupervisorEvent, { type: 'credentials-rejected' }>['reason'],
    message: string,
  ): Effect[] {
    return this.send({ type: 'credentials-rejected', candidateId: this.lastVerifyId(), reason, message });
  }

  /** start → verified → child-started: a running child on `overrides` credentials. */
  startRunning(overrides: Partial<VerifiedCredentialFacts> = {}, pid = 4242): this {
    this.send({ type: 'start' });
    this.verified(overrides);
    this.send({ type: 'child-started', pid });
    if (this.state.status !== 'running') {
      throw new Error(`Expected status running after start, got ${this.state.status}`);
    }
    return this;
  }
}

export function types(effects: readonly Effect[]): string[] {
  return effects.map((e) => e.type);
}

export function find<T extends Effect['type']>(
  effects: readonly Effect[],
  type: T,
): Extract<Effect, { type: T }> | undefined {
  return effects.find((e): e is Extract<Effect, { type: T }> => e.type === type);
}
