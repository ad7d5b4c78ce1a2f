import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { registerKeys } from '../../src/prompt/keys.js';

/** A stand-in for process.stdin on a terminal: records raw-mode changes. */
class FakeTty extends PassThrough {
  isTTY = true;
  isRaw = false;
  readonly rawModes: boolean[] = [];
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.rawModes.push(mode);
    return this;
  }
}

function handlers() {
  return { onReload: vi.fn(), onStatus: vi.fn(), onQuit: vi.fn(), onInterrupt: vi.fn() };
}

/** Data events are delivered on a later tick: wait for them. */
function flush() {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('registerKeys on a TTY', () => {
  it('switches to raw mode and maps r, s, q and Ctrl+C', async () => {
    const stdin = new FakeTty();
    const h = handlers();
    const dispose = registerKeys({ stdin, ...h });
    expect(stdin.isRaw).toBe(true);
    stdin.write('r');
    stdin.write('S');
    stdin.write('\x03');
    stdin.write('q');
    await flush();
    expect(h.onReload).toHaveBeenCalledOnce();
    expect(h.onStatus).toHaveBeenCalledOnce();
    expect(h.onInterrupt).toHaveBeenCalledOnce();
    expect(h.onQuit).toHaveBeenCalledOnce();
    dispose();
  });

  it('handles several keys in one chunk, ignores others and escape sequences (F2 is not q)', async () => {
    const stdin = new FakeTty();
    const h = handlers();
    const dispose = registerKeys({ stdin, ...h });
    stdin.write('xrr\r\n');
    await flush();
    stdin.write('\x1bOQ'); // F2
    await flush();
    stdin.write('\x1b[A'); // arrow up
    await flush();
    expect(h.onReload).toHaveBeenCalledTimes(2);
    expect(h.onQuit).not.toHaveBeenCalled();
    dispose();
  });

  it('dispose restores the previous mode, stops listening, and is idempotent', async () => {
    const stdin = new FakeTty();
    const h = handlers();
    const dispose = registerKeys({ stdin, ...h });
    dispose();
    dispose();
    expect(stdin.rawModes).toEqual([true, false]);
    expect(stdin.listenerCount('data')).toBe(0);
    expect(stdin.isPaused()).toBe(true);
    stdin.write('q');
    await flush();
    expect(h.onQuit).not.toHaveBeenCalled();
  });

  it('keeps a terminal that was already raw raw', () => {
    const stdin = new FakeTty();
    stdin.isRaw = true;
    registerKeys({ stdin, ...handlers() })();
    expect(stdin.isRaw).toBe(true);
  });
});

describe('registerKeys without a TTY', () => {
  it('does nothing: no raw mode, no listener, stdin left paused', () => {
    const stdin = new FakeTty();
    stdin.isTTY = false;
    const dispose = registerKeys({ stdin, ...handlers() });
    expect(stdin.rawModes).toEqual([]);
    expect(stdin.listenerCount('data')).toBe(0);
    expect(stdin.readableFlowing).toBe(null);
    dispose();
  });

  it('does nothing when the stream cannot switch to raw mode', () => {
    const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
    stdin.isTTY = true;
    registerKeys({ stdin, ...handlers() })();
    expect(stdin.listenerCount('data')).toBe(0);
  });
});
