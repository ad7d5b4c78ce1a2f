import { describe, expect, it } from 'vitest';
import { createLinePrefixer } from '../../src/procfile/line-prefixer.js';

function sink() {
  const writes: string[] = [];
  return {
    writes,
    target: {
      write: (chunk: Uint8Array) => {
        writes.push(Buffer.from(chunk).toString('utf8'));
        return true;
      },
      once: () => undefined,
    },
  };
}

describe('createLinePrefixer', () => {
  it('prefixes every line and passes only whole lines on', () => {
    const { writes, target } = sink();
    const prefixer = createLinePrefixer('api | ', target);
    prefixer.write(Buffer.from('hel'));
    expect(writes).toEqual([]);
    prefixer.write(Buffer.from('lo\nwor'));
    prefixer.write(Buffer.from('ld\nthree\nfour\n'));
    expect(writes).toEqual(['api | hello\n', 'api | world\napi | three\napi | four\n']);
  });

  it('keeps a UTF-8 character split across chunks intact', () => {
    const { writes, target } = sink();
    const prefixer = createLinePrefixer('x | ', target);
    const bytes = Buffer.from('é✓\n');
    prefixer.write(bytes.subarray(0, 1));
    prefixer.write(bytes.subarray(1));
    expect(writes.join('')).toBe('x | é✓\n');
  });

  it('ends a held partial line on flush, and writes nothing when none is held', () => {
    const { writes, target } = sink();
    const prefixer = createLinePrefixer('p | ', target);
    prefixer.flush();
    prefixer.write(Buffer.from('Password: '));
    prefixer.flush();
    expect(writes).toEqual(['p | Password: \n']);
  });
});
