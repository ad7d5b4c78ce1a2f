import { describe, expect, it } from 'vitest';
import { planRoute, type RoutePlan } from '../../src/child/children.js';
import type { CredentialRoute } from '../../src/compat/credential-route.js';
import type { Delivery } from '../../src/config/options.js';

const asksAgain: CredentialRoute = { kind: 'endpoint', client: 'the CDK CLI 2.1148', why: 'asks again' };
const resolvesOnce: CredentialRoute = { kind: 'restart', client: 'the CDK CLI 2.100', why: 'resolves once' };
const cdkJsonProfile: CredentialRoute = {
  kind: 'profile',
  profile: 'dev',
  from: 'cdk.json',
  why: 'reads dev',
};
const chosenProfile: CredentialRoute = { kind: 'profile', profile: 'dev', from: 'option', why: 'reads dev' };

const CASES: [string, CredentialRoute, Delivery, RoutePlan][] = [
  [
    'a client that asks the endpoint again: delivery as chosen, nothing to say',
    asksAgain,
    'endpoint',
    { delivery: 'endpoint', rotateByRestart: false },
  ],
  [
    'a client that resolves once, served by the endpoint: every rotation is a restart, and it is said',
    resolvesOnce,
    'endpoint',
    { delivery: 'endpoint', rotateByRestart: true, note: { level: 'warn', text: 'resolves once' } },
  ],
  [
    'the same client given variables: env delivery restarts anyway, so no extra rule and no warning',
    resolvesOnce,
    'env',
    { delivery: 'env', rotateByRestart: false },
  ],
  [
    'a profile the command names itself: handed that profile, and told where it came from',
    cdkJsonProfile,
    'endpoint',
    {
      delivery: 'profile',
      profile: 'dev',
      rotateByRestart: false,
      note: { level: 'info', text: 'reads dev' },
    },
  ],
  [
    'a profile the person chose with --delivery profile: nothing to tell them',
    chosenProfile,
    'profile',
    { delivery: 'profile', profile: 'dev', rotateByRestart: false },
  ],
];

describe('planRoute: what the children are handed and how the machine rotates them', () => {
  it.each(CASES)('%s', (_what, route, chosen, plan) => {
    expect(planRoute(route, chosen)).toEqual(plan);
  });
});
