import { describe, expect, it } from 'vitest';
import { serialQueue } from '../../src/supervisor/serial-queue.js';

describe('serialQueue: events one at a time, in order', () => {
  it('an event raised while one is handled waits for it to finish', () => {
    const seen: string[] = [];
    const dispatch = serialQueue<string>((event) => {
      seen.push(`start ${event}`);
      if (event === 'a') {
        dispatch('b');
        dispatch('c');
      }
      seen.push(`end ${event}`);
    });
    dispatch('a');
    expect(seen).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('a handler that throws does not wedge the queue', () => {
    const seen: string[] = [];
    const dispatch = serialQueue<string>((event) => {
      if (event === 'bad') throw new Error('bug');
      seen.push(event);
    });
    expect(() => dispatch('bad')).toThrow('bug');
    dispatch('good');
    expect(seen).toEqual(['good']);
  });
});
