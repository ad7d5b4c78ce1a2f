import { describe, expect, it } from 'vitest';
import { planRoute } from '../../src/child/children.js';

describe('planRoute: what the children are handed and how the machine rotates them', () => {
  it('a client that asks the endpoint again: delivery as chosen, nothing to say', () => {
    const route = { kind: 'endpoint', client: 'the CDK CLI 2.1148', why: 'asks again' } as const;
    expect(planRoute(route, 'endpoint')).toEqual({ delivery: 'endpoint', rotateByRestart: false });
  });

  it('a client that resolves once, served by the endpoint: every rotation is a restart, and it is said', () => {
    const route = { kind: 'restart', client: 'the CDK CLI 2.100', why: 'resolves once' } as const;
    expect(planRoute(route, 'endpoint')).toEqual({
      delivery: 'endpoint',
      rotateByRestart: true,
      note: { level: 'warn', text: 'resolves once' },
    });
  });

  it('the same client given variables: env delivery restarts anyway, so no extra rule and no warning', () => {
    const route = { kind: 'restart', client: 'the CDK CLI 2.100', why: 'resolves once' } as const;
    expect(planRoute(route, 'env')).toEqual({ delivery: 'env', rotateByRestart: false });
  });

  it('a profile the command names itself: handed that profile, and told where it came from', () => {
    const route = { kind: 'profile', profile: 'dev', from: 'cdk.json', why: 'reads dev itself' } as const;
    expect(planRoute(route, 'endpoint')).toEqual({
      delivery: 'profile',
      profile: 'dev',
      rotateByRestart: false,
      note: { level: 'info', text: 'reads dev itself' },
    });
  });

  it('a profile the person chose with --delivery profile: nothing to tell them', () => {
    const route = { kind: 'profile', profile: 'dev', from: 'option', why: 'reads dev itself' } as const;
    expect(planRoute(route, 'profile')).toEqual({
      delivery: 'profile',
      profile: 'dev',
      rotateByRestart: false,
    });
  });
});
