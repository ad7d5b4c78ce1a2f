import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/prompt/shell-quote.js';

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('/home/alice/app/.cred-supervisor/credentials')).toBe(
      '/home/alice/app/.cred-supervisor/credentials',
    );
    expect(shellQuote('my app')).toBe("'my app'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });

  it('a real sh reads back exactly the original argument', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).filter((s) => !s.includes('\0')),
        (arg) => {
          const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(arg)}`], { encoding: 'utf8' });
          expect(out).toBe(arg);
        },
      ),
      { numRuns: 60 },
    );
  });
});
