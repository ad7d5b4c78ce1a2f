import { describe, expect, it } from 'vitest';
import { selectRestart } from '../../src/procfile/restart-selection.js';

const child = (name: string, facts: { tainted?: boolean; envDelivery?: boolean } = {}) => ({
  name,
  running: true,
  tainted: facts.tainted ?? false,
  envDelivery: facts.envDelivery ?? false,
});

describe('selectRestart', () => {
  it('restarts only the child whose output showed a credential error', () => {
    expect(
      selectRestart([child('cdk', { tainted: true }), child('api'), child('old', { envDelivery: true })]),
    ).toEqual(['cdk']);
  });

  it('else the env-delivery children, which hold their credentials from spawn', () => {
    expect(selectRestart([child('api'), child('old', { envDelivery: true })])).toEqual(['old']);
  });

  it('else all of them: the machine asked for a restart for a reason the set cannot narrow', () => {
    expect(selectRestart([child('a'), child('b')])).toEqual(['a', 'b']);
  });
});
