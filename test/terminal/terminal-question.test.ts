/** askOnTerminal restores raw mode and flow exactly, and keys pressed during the question are its answer. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { registerKeys } from '../../src/prompt/keys.js';
import { askOnTerminal, isAskingOn } from '../../src/prompt/terminal-question.js';

/** A PassThrough that behaves like a TTY's input: raw mode is recorded. */
function fakeTty() {
  const input = new PassThrough() as PassThrough & {
    isTTY: boolean;
    isRaw: boolean;
    setRawMode(mode: boolean): void;
    modes: boolean[];
  };
  input.isTTY = true;
  input.isRaw = false;
  input.modes = [];
  input.setRawMode = (mode: boolean) => {
    input.isRaw = mode;
    input.modes.push(mode);
  };
  return input;
}

/** The keys registered on `input`, as the commands they were taken for. */
function recordKeys(input: ReturnType<typeof fakeTty>) {
  const pressed: string[] = [];
  const dispose = registerKeys({
    stdin: input,
    onReload: () => pressed.push('r'),
    onStatus: () => pressed.push('s'),
    onQuit: () => pressed.push('q'),
    onInterrupt: () => pressed.push('^C'),
  });
  return { pressed, dispose };
}

describe('askOnTerminal', () => {
  it('hands raw mode and the flowing state back as they were, and the keys work again', async () => {
    const input = fakeTty();
    const output = new PassThrough();
    const { pressed, dispose } = recordKeys(input);
    expect(input.isRaw).toBe(true);

    const answer = askOnTerminal('MFA code: ', { input, output });
    expect(isAskingOn(input)).toBe(true);
    input.write('12r4q6\r');
    await expect(answer).resolves.toBe('12r4q6');
    // The letters typed into the answer were not commands.
    expect(pressed).toEqual([]);
    expect(isAskingOn(input)).toBe(false);
    expect(input.isRaw).toBe(true);
    expect(input.readableFlowing).toBe(true);

    input.write('q');
    await new Promise((resolve) => setImmediate(resolve));
    expect(pressed).toEqual(['q']);
    dispose();
  });

  it('without keys registered, leaves a cooked, paused terminal cooked and paused', async () => {
    const input = fakeTty();
    const answer = askOnTerminal('Continue? ', { input, output: new PassThrough() });
    input.write('yes\n');
    await expect(answer).resolves.toBe('yes');
    expect(input.isRaw).toBe(false);
    expect(input.readableFlowing).not.toBe(true);
  });

  it('Ctrl+C ends the question and still reaches the key handler', async () => {
    const input = fakeTty();
    const { pressed, dispose } = recordKeys(input);
    const answer = askOnTerminal('MFA code: ', { input, output: new PassThrough() });
    input.write('\x03');
    await expect(answer).rejects.toThrow();
    expect(pressed).toEqual(['^C']);
    expect(input.isRaw).toBe(true);
    dispose();
  });

  it('an abort signal ends it', async () => {
    const input = fakeTty();
    const controller = new AbortController();
    const answer = askOnTerminal('MFA code: ', {
      input,
      output: new PassThrough(),
      signal: controller.signal,
    });
    controller.abort();
    await expect(answer).rejects.toThrow();
    expect(isAskingOn(input)).toBe(false);
  });
});
