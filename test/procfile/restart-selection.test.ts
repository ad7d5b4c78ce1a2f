import { describe, expect, it } from 'vitest';
import { selectRestart } from '../../src/procfile/restart-selection.js';

const child = (name: string, facts: { tainted?: boolean; envDelivery?: boolean } = {}) => ({
  name,
  tainted: facts.tainted ?? false,
  envDelivery: facts.envDelivery ?? false,
});

describe('selectRestart', () => {
  it('restarts only the child whose output showed a credential error, the endpoint serves the rest', () => {
    expect(selectRestart([child('cdk', { tainted: true }), child('api')])).toEqual(['cdk']);
  });

  it('restarts the env-delivery children with it: new variables need a new process', () => {
    expect(
      selectRestart([child('cdk', { tainted: true }), child('api'), child('old', { envDelivery: true })]),
    ).toEqual(['cdk', 'old']);
    expect(selectRestart([child('api'), child('old', { envDelivery: true })])).toEqual(['old']);
  });

  it('else all of them: the machine asked for a restart for a reason the set cannot narrow', () => {
    expect(selectRestart([child('a'), child('b')])).toEqual(['a', 'b']);
  });
});
