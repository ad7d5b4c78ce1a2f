import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/exec/exit-status.js';

describe('exitCodeOf', () => {
  it('passes the command’s own code through', () => {
    for (const code of [0, 1, 3, 4, 42, 255]) expect(exitCodeOf({ exitCode: code, signal: null })).toBe(code);
  });

  it('is 128 + the number of the signal that ended the command', () => {
    expect(exitCodeOf({ exitCode: null, signal: 'SIGHUP' })).toBe(129);
    expect(exitCodeOf({ exitCode: null, signal: 'SIGINT' })).toBe(130);
    expect(exitCodeOf({ exitCode: null, signal: 'SIGKILL' })).toBe(137);
    expect(exitCodeOf({ exitCode: null, signal: 'SIGTERM' })).toBe(143);
  });

  it('is 1 when neither is known', () => {
    expect(exitCodeOf({ exitCode: null, signal: null })).toBe(1);
  });
});
