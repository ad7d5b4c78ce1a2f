import { describe, expect, it } from 'vitest';
import { isProcessGroupGone, type LivenessDeps } from '../../src/process/liveness.js';

const failing = (code: string) => () => {
  throw Object.assign(new Error(`kill ${code}`), { code });
};

describe('isProcessGroupGone', () => {
  it.each<[string, LivenessDeps, boolean]>([
    ['kill says ESRCH', { kill: failing('ESRCH'), listMembers: () => [{ state: 'S' }] }, true],
    ['kill says EPERM (exists, not ours)', { kill: failing('EPERM'), listMembers: () => undefined }, false],
    ['only zombies are left', { kill: () => {}, listMembers: () => [{ state: 'Z' }, { state: 'Z' }] }, true],
    [
      'one member still sleeps',
      { kill: () => {}, listMembers: () => [{ state: 'Z' }, { state: 'S' }] },
      false,
    ],
    ['members cannot be listed', { kill: () => {}, listMembers: () => undefined }, false],
  ])('%s → %s', (_case, deps, gone) => {
    expect(isProcessGroupGone(4242, deps)).toBe(gone);
  });

  it('passes on errors other than ESRCH/EPERM', () => {
    expect(() => isProcessGroupGone(4242, { kill: failing('EINVAL'), listMembers: () => undefined })).toThrow(
      'kill EINVAL',
    );
  });
});
