import { describe, expect, it } from 'vitest';
import { getChildColorEnv } from '../../src/terminal/color-env.js';

const tty = (depth: number) => ({ isTTY: true, getColorDepth: () => depth });

describe('getChildColorEnv', () => {
  it.each([
    [tty(4), '1'],
    [tty(8), '2'],
    [tty(24), '3'],
  ])('forces colour at the depth of our terminal (%#)', (terminal, level) => {
    expect(getChildColorEnv(terminal, { TERM: 'xterm-256color' })).toEqual({ FORCE_COLOR: level });
  });

  it('adds nothing when our output is not a terminal', () => {
    expect(getChildColorEnv({ isTTY: false }, {})).toEqual({});
    expect(getChildColorEnv({}, {})).toEqual({});
  });

  it('respects the person: NO_COLOR, TERM=dumb, or their own FORCE_COLOR', () => {
    expect(getChildColorEnv(tty(24), { NO_COLOR: '1' })).toEqual({});
    expect(getChildColorEnv(tty(24), { TERM: 'dumb' })).toEqual({});
    expect(getChildColorEnv(tty(24), { FORCE_COLOR: '0' })).toEqual({});
    // An empty NO_COLOR does not count, per no-color.org.
    expect(getChildColorEnv(tty(24), { NO_COLOR: '' })).toEqual({ FORCE_COLOR: '3' });
  });

  it('adds nothing for a terminal without colours', () => {
    expect(getChildColorEnv(tty(1), {})).toEqual({});
  });
});
