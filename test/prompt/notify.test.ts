import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { commandEnv, NOTIFY_MESSAGE_ENV, notify, tmuxArgs } from '../../src/prompt/notify.js';

function fakeTerminal(isTTY: boolean) {
  const written: string[] = [];
  return { terminal: { isTTY, write: (chunk: string) => written.push(chunk) }, written };
}

async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'cred-notify-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('notify (injected runners)', () => {
  it('rings the bell only on a TTY', async () => {
    const tty = fakeTerminal(true);
    expect((await notify('hi', { terminal: tty.terminal, env: {} })).bell).toBe(true);
    expect(tty.written).toEqual(['\x07']);
    const pipe = fakeTerminal(false);
    expect((await notify('hi', { terminal: pipe.terminal, env: {} })).bell).toBe(false);
    expect(pipe.written).toEqual([]);
  });

  it('uses tmux only inside tmux, with the message as one argument', async () => {
    const runTmux = vi.fn(async () => {});
    const outside = await notify('hi', { env: {}, runTmux });
    expect(outside.tmux).toBe('skipped');
    expect(runTmux).not.toHaveBeenCalled();

    const inside = await notify('needed\nfor #{session}', {
      env: { TMUX: '/tmp/tmux-1/default,1,0' },
      runTmux,
    });
    expect(inside.tmux).toBe('sent');
    expect(runTmux).toHaveBeenCalledWith(
      ['display-message', '--', 'needed for ##{session}'],
      { TMUX: '/tmp/tmux-1/default,1,0' },
      10_000,
    );
  });

  it('failures are reported, never thrown, and the other channels still run', async () => {
    const onError = vi.fn();
    const runCommand = vi.fn(async () => {});
    const report = await notify('hi', {
      env: { TMUX: 'x' },
      notifyCommand: 'notify-send "$CRED_SUPERVISOR_MESSAGE"',
      runTmux: async () => {
        throw new Error('no server running on /tmp/tmux-1/default');
      },
      runCommand,
      onError,
    });
    expect(report).toEqual({ bell: false, tmux: 'failed', command: 'ran' });
    expect(onError).toHaveBeenCalledWith(
      'tmux',
      expect.objectContaining({ message: expect.stringMatching(/no server/) }),
    );
    expect(runCommand).toHaveBeenCalledOnce();
  });

  it('tmuxArgs doubles # and guards a leading dash', () => {
    expect(tmuxArgs('-x #1')).toEqual(['display-message', '--', '-x ##1']);
  });

  it('commandEnv puts the message in an env var and drops AWS secrets', () => {
    const env = commandEnv(
      {
        PATH: '/bin',
        AWS_SECRET_ACCESS_KEY: 's',
        AWS_SESSION_TOKEN: 't',
        AWS_ACCESS_KEY_ID: 'k',
        AWS_REGION: 'eu-west-1',
      },
      'msg',
    );
    expect(env).toEqual({ PATH: '/bin', AWS_REGION: 'eu-west-1', [NOTIFY_MESSAGE_ENV]: 'msg' });
  });
});

describe('notify (real processes)', () => {
  it('runs --notify-command through the shell with the message in $CRED_SUPERVISOR_MESSAGE, not in argv', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'notified.txt');
    const marker = path.join(dir, 'injected');
    const message = `credentials needed; $(touch ${marker}) \`touch ${marker}\``;
    const report = await notify(message, {
      env: { PATH: process.env.PATH, OUT: out, AWS_SECRET_ACCESS_KEY: 'do-not-leak' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not JS
      notifyCommand: 'printf "%s|%s" "$CRED_SUPERVISOR_MESSAGE" "${AWS_SECRET_ACCESS_KEY:-none}" > "$OUT"',
    });
    expect(report.command).toBe('ran');
    expect(await readFile(out, 'utf8')).toBe(`${message}|none`);
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/); // the message was data, never code
  });

  it('a hanging notify command is killed at the timeout, grandchildren included, and reported', async () => {
    const dir = await tempDir();
    const pidFile = path.join(dir, 'pgid');
    const onError = vi.fn();
    const started = Date.now();
    const report = await notify('hi', {
      env: { PATH: process.env.PATH, PID_FILE: pidFile },
      notifyCommand: 'echo $$ > "$PID_FILE"; sleep 30; echo never',
      timeoutMs: 300,
      onError,
    });
    expect(report.command).toBe('failed');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(onError).toHaveBeenCalledWith(
      'command',
      expect.objectContaining({ message: expect.stringMatching(/timed out/i) }),
    );
    // The shell led its own group: nothing of it may survive (poll; the kernel reaps asynchronously).
    const pgid = Number(await readFile(pidFile, 'utf8'));
    const deadline = Date.now() + 10_000;
    while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(groupAlive(pgid)).toBe(false);
  });

  it('a failing notify command is reported with its exit code', async () => {
    const onError = vi.fn();
    const report = await notify('hi', { env: { PATH: process.env.PATH }, notifyCommand: 'exit 3', onError });
    expect(report.command).toBe('failed');
    expect(onError.mock.calls[0]?.[1].message).toMatch(/exit code 3/);
  });

  it('runs the tmux executable directly, without a shell', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'tmux-args.txt');
    // A stand-in tmux on PATH that records its arguments, one per line.
    await writeFile(path.join(dir, 'tmux'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$TMUX_ARGS_OUT"\n');
    await chmod(path.join(dir, 'tmux'), 0o755);
    const report = await notify('needed: $(whoami) #1', {
      env: { PATH: `${dir}:${process.env.PATH}`, TMUX: '/tmp/fake,1,0', TMUX_ARGS_OUT: out },
    });
    expect(report.tmux).toBe('sent');
    expect(await readFile(out, 'utf8')).toBe('display-message\n--\nneeded: $(whoami) ##1\n');
  });
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
