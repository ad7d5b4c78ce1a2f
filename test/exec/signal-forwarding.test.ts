// Signal forwarding with a real child (the fake cdk) and signals emitted by the test, so the test
// runner itself is never signalled.
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { exitCodeOf } from '../../src/exec/exit-status.js';
import { spawnForegroundChild } from '../../src/exec/foreground-child.js';
import {
  decideForward,
  type ForwardEvent,
  type ForwardedSignal,
  forwardSignals,
} from '../../src/exec/signal-forwarding.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));

describe('decideForward', () => {
  it('leaves only the first SIGINT in the foreground to the terminal', () => {
    expect(decideForward('SIGINT', { foreground: true, sigintsBefore: 0 })).toBe('already-delivered');
    expect(decideForward('SIGINT', { foreground: true, sigintsBefore: 1 })).toBe('forward');
    expect(decideForward('SIGINT', { foreground: false, sigintsBefore: 0 })).toBe('forward');
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
      expect(decideForward(signal, { foreground: true, sigintsBefore: 0 })).toBe('forward');
    }
  });
});

async function startFakeCdk(env: Record<string, string> = {}) {
  const child = await spawnForegroundChild({
    file: process.execPath,
    args: [FAKE_CDK],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', FAKE_CDK_READY_MARKER: 'READY', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  onTestFinished(async () => {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  });
  let output = '';
  child.process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 10_000;
    while (!output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`Expected \`${text}\`, got:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await waitFor('READY');
  return {
    child,
    waitFor,
    get output() {
      return output;
    },
  };
}

function setUp(pid: number, options: { foreground?: boolean; killAfterMs?: number } = {}) {
  const source = new EventEmitter();
  const events: ForwardEvent[] = [];
  const stop = forwardSignals({
    pid,
    killAfterMs: options.killAfterMs ?? 10_000,
    source: source as never,
    isForeground: () => options.foreground ?? false,
    onEvent: (event) => events.push(event),
  });
  onTestFinished(stop);
  const send = (signal: ForwardedSignal) => source.emit(signal);
  return { source, events, stop, send };
}

describe('forwardSignals', () => {
  it('passes SIGTERM on; the command exits with its own code', async () => {
    const fake = await startFakeCdk();
    const { send, events } = setUp(fake.child.pid);
    send('SIGTERM');
    expect(exitCodeOf(await fake.child.exited)).toBe(143);
    expect(fake.output).toContain('FAKE_CDK_SIGNAL=SIGTERM');
    expect(events).toEqual([{ signal: 'SIGTERM', action: 'forward' }]);
  });

  it('in the foreground, the first SIGINT is the terminal’s; a second one is passed on', async () => {
    const fake = await startFakeCdk();
    const { send, events } = setUp(fake.child.pid, { foreground: true });
    send('SIGINT');
    // Nothing reached the command (in real life the terminal delivered it): it still runs.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.child.process.exitCode).toBeNull();
    expect(fake.output).not.toContain('FAKE_CDK_SIGNAL');
    send('SIGINT');
    expect(exitCodeOf(await fake.child.exited)).toBe(130);
    expect(events).toEqual([
      { signal: 'SIGINT', action: 'already-delivered' },
      { signal: 'SIGINT', action: 'forward' },
    ]);
  });

  it('SIGKILL after killAfterMs when the command ignores SIGHUP', async () => {
    const fake = await startFakeCdk({ FAKE_CDK_IGNORE_SIGNALS: 'SIGHUP' });
    const { send, events } = setUp(fake.child.pid, { killAfterMs: 200 });
    send('SIGHUP');
    const exit = await fake.child.exited;
    expect(exit).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(exitCodeOf(exit)).toBe(137);
    expect(fake.output).toContain('FAKE_CDK_SIGNAL=SIGHUP ignored');
    expect(events).toEqual([
      { signal: 'SIGHUP', action: 'forward' },
      { signal: 'SIGKILL', action: 'killed', afterMs: 200 },
    ]);
  });

  it('stopping removes the handlers and the pending SIGKILL', async () => {
    const fake = await startFakeCdk({ FAKE_CDK_IGNORE_SIGNALS: 'SIGTERM' });
    const { send, source, stop, events } = setUp(fake.child.pid, { killAfterMs: 100 });
    send('SIGTERM');
    stop();
    expect(source.eventNames()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.child.process.exitCode).toBeNull();
    expect(events).toEqual([{ signal: 'SIGTERM', action: 'forward' }]);
  });

  it('a command that already exited is not an error', async () => {
    const fake = await startFakeCdk({ FAKE_CDK_EXIT_CODE: '0' });
    await fake.child.exited;
    const { send, events } = setUp(fake.child.pid);
    expect(() => send('SIGTERM')).not.toThrow();
    expect(events).toEqual([{ signal: 'SIGTERM', action: 'forward' }]);
  });
});
