import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConsoleMux, type MuxStreamName } from '../../src/terminal/console-mux.js';

/** Two fake streams writing into one shared "screen", plus a timer we fire by hand. */
function fakeTerminal(holdMs = 200) {
  const screen: { stream: MuxStreamName; text: string }[] = [];
  const target = (stream: MuxStreamName) => ({
    write(chunk: Uint8Array | string) {
      screen.push({
        stream,
        text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'),
      });
      return true;
    },
    once() {
      return undefined;
    },
  });
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const mux = createConsoleMux({
    stdout: target('stdout'),
    stderr: target('stderr'),
    holdMs,
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as { cleared: boolean }).cleared = true;
    },
  });
  const fireTimers = () => {
    for (const timer of timers.splice(0)) if (!timer.cleared) timer.callback();
  };
  const pending = () => timers.filter((timer) => !timer.cleared);
  return { mux, screen, text: () => screen.map((entry) => entry.text).join(''), fireTimers, pending };
}

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('console mux', () => {
  it('writes child output unchanged to its own stream, and says at once at a line start', () => {
    const t = fakeTerminal();
    t.mux.child('stderr', bytes('Stack: deploying... [1/1]\n'));
    t.mux.child('stdout', bytes('out\n'));
    t.mux.say('[cred-supervisor] running');

    expect(t.screen).toEqual([
      { stream: 'stderr', text: 'Stack: deploying... [1/1]\n' },
      { stream: 'stdout', text: 'out\n' },
      { stream: 'stderr', text: '[cred-supervisor] running\n' },
    ]);
    expect(t.pending()).toHaveLength(0);
  });

  it('holds a message while the child is mid-line and lets it in right after the line ends', () => {
    const t = fakeTerminal();
    t.mux.child('stderr', bytes('Stack: deplo'));
    t.mux.say('credentials expire in 9m');
    expect(t.text()).toBe('Stack: deplo');

    t.mux.child('stderr', bytes('ying... [1/1]\nnext li'));
    expect(t.text()).toBe('Stack: deploying... [1/1]\ncredentials expire in 9m\nnext li');
    expect(t.pending()).toHaveLength(0);
  });

  it('after the hold time, ends the unfinished line with a newline and prints the message', () => {
    const t = fakeTerminal(150);
    t.mux.child('stdout', bytes('progress 10%'));
    t.mux.say('stopping the child');
    t.mux.say('second message');
    expect(t.pending().map((timer) => timer.ms)).toEqual([150]);

    t.fireTimers();
    expect(t.text()).toBe('progress 10%\nstopping the child\nsecond message\n');

    t.mux.child('stdout', bytes(' 20%\n'));
    t.mux.say('later');
    expect(t.text()).toBe('progress 10%\nstopping the child\nsecond message\n 20%\nlater\n');
  });

  it('waits for every stream to be at a line start, since both share the terminal', () => {
    const t = fakeTerminal();
    t.mux.child('stdout', bytes('half on stdout'));
    t.mux.child('stderr', bytes('half on stderr'));
    t.mux.say('message');
    t.mux.child('stderr', bytes(' done\n'));
    expect(t.text()).not.toContain('message');
    t.mux.child('stdout', bytes(' done\n'));
    expect(t.text()).toBe('half on stdouthalf on stderr done\n done\nmessage\n');
  });

  it('flush ends unfinished lines and prints what was held', () => {
    const t = fakeTerminal();
    t.mux.child('stderr', bytes('last words without newline'));
    t.mux.say('child exited with code 1');
    t.mux.flush();
    expect(t.text()).toBe('last words without newline\nchild exited with code 1\n');
    expect(t.pending()).toHaveLength(0);
  });

  it('gives the sink to spawnChild: writes go through the mux, drain waits on the real stream', () => {
    const drains: string[] = [];
    const target = (name: string) => ({
      write: () => false,
      once: (_event: 'drain', listener: () => void) => {
        drains.push(name);
        listener();
      },
    });
    const mux = createConsoleMux({ stdout: target('stdout'), stderr: target('stderr') });
    const sink = mux.sink('stderr');
    expect(sink.write(bytes('x'))).toBe(false);
    let drained = false;
    sink.once('drain', () => {
      drained = true;
    });
    expect(drains).toEqual(['stderr']);
    expect(drained).toBe(true);
  });

  it('never changes, drops or reorders child bytes, and every message starts a line (property)', () => {
    const chunk = fc.stringMatching(/^[ab\n]{0,12}$/);
    const action = fc.oneof(
      fc.record({
        type: fc.constant('child' as const),
        stream: fc.constantFrom('stdout', 'stderr'),
        text: chunk,
      }),
      fc.record({ type: fc.constant('say' as const) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        const t = fakeTerminal();
        const expectedChild = { stdout: '', stderr: '' };
        let said = 0;
        for (const a of actions) {
          if (a.type === 'child') {
            t.mux.child(a.stream as MuxStreamName, bytes(a.text));
            expectedChild[a.stream as MuxStreamName] += a.text;
          } else {
            t.mux.say(`M${said++}`);
          }
        }
        t.mux.flush();

        // Without timeouts, each stream carries exactly the child's bytes (plus flush's closing newline).
        const childText = (stream: MuxStreamName) =>
          t.screen
            .filter((entry) => entry.stream === stream && !/^(M\d+\n)+$/.test(entry.text))
            .map((entry) => entry.text)
            .join('');
        for (const stream of ['stdout', 'stderr'] as const) {
          const written = childText(stream);
          const expected = expectedChild[stream];
          expect([expected, `${expected}\n`]).toContain(written);
        }
        // Every message is printed, in order, at the start of a line of the shared screen.
        const screen = t.text();
        const messages = [...screen.matchAll(/M(\d+)\n/g)];
        expect(messages.map((m) => Number(m[1]))).toEqual([...Array(said).keys()]);
        for (const m of messages) expect(m.index === 0 || screen[m.index - 1] === '\n').toBe(true);
      }),
    );
  });
});

describe('a child stdout piped elsewhere', () => {
  it('is never ended with an extra newline by flush or say', () => {
    const out: string[] = [];
    const err: string[] = [];
    const target = (into: string[]) => ({
      write: (chunk: Uint8Array | string) => {
        into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
        return true;
      },
      once: () => undefined,
    });
    const mux = createConsoleMux({ stdout: target(out), stderr: target(err), sharedScreen: ['stderr'] });
    mux.child('stdout', Buffer.from('partial last line'));
    mux.say('[cred-supervisor] stopped');
    mux.flush();
    expect(out.join('')).toBe('partial last line');
    expect(err.join('')).toBe('[cred-supervisor] stopped\n');
  });
});

describe('batching the child output of one turn of the event loop', () => {
  /** A Node Writable that records each system-call-sized write it is given (one per writev). */
  function recordingStream(into: { name: string; calls: string[][] }) {
    return new Writable({
      writev(chunks, callback) {
        into.calls.push(chunks.map(({ chunk }) => `${into.name}:${Buffer.from(chunk).toString('latin1')}`));
        callback();
      },
      write(chunk, _encoding, callback) {
        into.calls.push([`${into.name}:${Buffer.from(chunk).toString('latin1')}`]);
        callback();
      },
    });
  }
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('writes the chunks of one turn in one call, in order, and a message only after them', async () => {
    const calls: string[][] = [];
    const mux = createConsoleMux({
      stdout: recordingStream({ name: 'out', calls }),
      stderr: recordingStream({ name: 'err', calls }),
    });
    mux.child('stdout', bytes('a\n'));
    mux.child('stdout', bytes('b\n'));
    mux.child('stdout', bytes('c\n'));
    expect(calls).toEqual([]);
    await nextTurn();
    expect(calls).toEqual([['out:a\n', 'out:b\n', 'out:c\n']]);

    // Another stream's chunk, or a message, first writes out what waits: the screen keeps read order.
    mux.child('stdout', bytes('d\n'));
    mux.child('stderr', bytes('e\n'));
    mux.say('M');
    mux.child('stdout', bytes('f\n'));
    await nextTurn();
    expect(calls.slice(1)).toEqual([['out:d\n'], ['err:e\n'], ['err:M\n'], ['out:f\n']]);
  });

  it('asks the child to wait (false) once a batch holds BATCH_BYTES, and drain comes when it is written', async () => {
    const calls: string[][] = [];
    const mux = createConsoleMux({
      stdout: recordingStream({ name: 'out', calls }),
      stderr: recordingStream({ name: 'err', calls }),
    });
    const sink = mux.sink('stdout');
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const answers = [1, 2, 3, 4, 5].map(() => sink.write(chunk));
    expect(answers).toEqual([true, true, true, false, false]);
    const drained = new Promise((resolve) => sink.once('drain', () => resolve(true)));
    await nextTurn();
    expect(await drained).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(5);
  });
});
