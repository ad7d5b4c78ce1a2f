import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChildSpawnError, spawnChild } from '../../src/child/spawn-child.js';
import { stopProcessGroup } from '../../src/child/stop-process-group.js';
import { listProcessGroupMembers } from '../../src/process/liveness.js';
import { waitUntil } from '../support/wait-until.js';
import { collectingSink, FAKE_CDK, fixtureEnv, makeTempDir, processJanitor } from './helpers.js';

const janitor = processJanitor();
const temp = makeTempDir('spawn-child-');
afterEach(async () => {
  await janitor.cleanUp();
});
afterAll(() => temp.remove());

/** Bytes that break any decoding, line splitting or buffering shortcut. */
function awkwardBytes(): Buffer {
  const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x0a, 0xe2, 0x82, 0x0a, 0xf0, 0x9f, 0x98]);
  const colours = Buffer.from('\x1b[31mred\x1b[0m\r\nNUL:\0:\n', 'binary');
  // 5 MB in one line: random bytes with every newline replaced, so there is no line break in it.
  const longLine = randomBytes(5 * 1024 * 1024).map((byte) => (byte === 0x0a ? 0x41 : byte));
  const partialLastLine = Buffer.from('the last line has no newline');
  return Buffer.concat([invalidUtf8, colours, longLine, Buffer.from('\n'), partialLastLine]);
}

describe('spawnChild', () => {
  it('passes every byte through unchanged (invalid UTF-8, a 5 MB line, a partial last line) and taps the same bytes', async () => {
    const expected = awkwardBytes();
    const file = path.join(temp.dir, 'awkward.bin');
    writeFileSync(file, expected);
    const stderr = collectingSink();
    const stdout = collectingSink();
    const tapped: Buffer[] = [];
    const tappedStreams = new Set<string>();

    const child = await spawnChild({
      file: FAKE_CDK,
      args: [],
      env: fixtureEnv({ FAKE_CDK_EMIT_FILE: file, FAKE_CDK_EXIT_CODE: '0' }),
      stdout: stdout.sink,
      stderr: stderr.sink,
      onOutput: (chunk, stream) => {
        tapped.push(Buffer.from(chunk));
        tappedStreams.add(stream);
      },
    });
    janitor.group(child.pgid);

    expect(await child.closed).toEqual({ exitCode: 0, signal: null });
    const received = stderr.bytes();
    expect(received.length).toBe(expected.length);
    expect(received.equals(expected)).toBe(true);
    expect(Buffer.concat(tapped).equals(expected)).toBe(true);
    expect([...tappedStreams]).toEqual(['stderr']);
    expect(stdout.bytes().length).toBe(0);
    // Delivered as it came, not in one piece at the end.
    expect(stderr.chunks.length).toBeGreaterThan(1);
  });

  it('delivers output while the child is still running, on the stream it was written to', async () => {
    const stdout = collectingSink();
    const stderr = collectingSink();
    const child = await spawnChild({
      file: FAKE_CDK,
      args: [],
      env: fixtureEnv({
        FAKE_CDK_STREAM: 'stdout',
        FAKE_CDK_LINES: 'first line',
        FAKE_CDK_READY_MARKER: 'READY',
      }),
      stdout: stdout.sink,
      stderr: stderr.sink,
    });
    janitor.group(child.pgid);

    await waitUntil(() => stdout.text().includes('READY'), 'the readiness marker');
    expect(stdout.text()).toBe('first line\nREADY\n');
    expect(stderr.text()).toBe('');
    await stopProcessGroup(child.pgid, { graceMs: 2000 });
  });

  it('runs the child in its own process group, with exactly the environment given', async () => {
    const stderr = collectingSink();
    const child = await spawnChild({
      file: FAKE_CDK,
      args: ['watch', '--hotswap-fallback'],
      env: fixtureEnv({ ONLY_THIS: 'yes', FAKE_CDK_PRINT_ENV: 'ONLY_THIS,HOME', FAKE_CDK_PRINT_ARGS: '1' }),
      stdout: collectingSink().sink,
      stderr: stderr.sink,
    });
    janitor.group(child.pgid);

    expect(child.pgid).toBe(child.pid);
    expect(child.pgid).not.toBe(process.pid);
    expect(listProcessGroupMembers(child.pgid)?.map((member) => member.pid)).toContain(child.pid);
    await waitUntil(() => stderr.text().includes('HOME'), 'the environment report');
    expect(stderr.text()).toBe('ARGS=["watch","--hotswap-fallback"]\nONLY_THIS=yes\nHOME is unset\n');
    await stopProcessGroup(child.pgid, { graceMs: 2000 });
  });

  it('reports a crash through `exited` with its exit code, and a kill with its signal, without rejecting', async () => {
    const crashed = await spawnChild({
      file: FAKE_CDK,
      args: [],
      env: fixtureEnv({ FAKE_CDK_EXIT_CODE: '3' }),
      stdout: collectingSink().sink,
      stderr: collectingSink().sink,
    });
    expect(await crashed.exited).toMatchObject({ exitCode: 3, signal: null });
    expect(await crashed.closed).toEqual({ exitCode: 3, signal: null });

    const stderr = collectingSink();
    const killed = await spawnChild({
      file: FAKE_CDK,
      args: [],
      env: fixtureEnv({ FAKE_CDK_READY_MARKER: 'READY' }),
      stdout: collectingSink().sink,
      stderr: stderr.sink,
    });
    janitor.group(killed.pgid);
    await waitUntil(() => stderr.text().includes('READY'), 'the readiness marker');
    process.kill(killed.pid, 'SIGKILL');
    expect(await killed.exited).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  });

  it('pauses the child instead of buffering when the sink is full, and still delivers every byte', async () => {
    const expected = randomBytes(2 * 1024 * 1024);
    const file = path.join(temp.dir, 'slow.bin');
    writeFileSync(file, expected);
    const received: Buffer[] = [];
    let refusals = 0;
    const slowSink = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        setTimeout(callback, 1);
      },
    });
    const countingSink = {
      write(chunk: Uint8Array) {
        const ok = slowSink.write(chunk);
        if (!ok) refusals++;
        return ok;
      },
      once: (event: 'drain', listener: () => void) => slowSink.once(event, listener),
    };

    const child = await spawnChild({
      file: FAKE_CDK,
      args: [],
      env: fixtureEnv({ FAKE_CDK_EMIT_FILE: file, FAKE_CDK_EXIT_CODE: '0' }),
      stdout: collectingSink().sink,
      stderr: countingSink,
    });
    janitor.group(child.pgid);
    await child.closed;
    await new Promise<void>((resolve) => slowSink.end(resolve));

    expect(refusals).toBeGreaterThan(0);
    expect(Buffer.concat(received).equals(expected)).toBe(true);
  });

  it('keeps the output flowing when the tap throws, and reports the error', async () => {
    const stderr = collectingSink();
    const errors: unknown[] = [];
    const child = await spawnChild({
      file: FAKE_CDK,
      args: [],
      env: fixtureEnv({ FAKE_CDK_LINES: 'one\ntwo', FAKE_CDK_INTERVAL_MS: '20', FAKE_CDK_EXIT_CODE: '0' }),
      stdout: collectingSink().sink,
      stderr: stderr.sink,
      onOutput: () => {
        throw new Error('detector bug');
      },
      onOutputError: (error) => errors.push(error),
    });
    await child.closed;
    expect(stderr.text()).toBe('one\ntwo\n');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(String(errors[0])).toContain('detector bug');
  });

  it('rejects with a ChildSpawnError naming the file when it is missing or not executable', async () => {
    const missing = path.join(temp.dir, 'no-such-cdk');
    const options = {
      args: [],
      env: fixtureEnv(),
      stdout: collectingSink().sink,
      stderr: collectingSink().sink,
    };
    const error = await spawnChild({ file: missing, ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChildSpawnError);
    expect((error as ChildSpawnError).code).toBe('ENOENT');
    expect((error as Error).message).toContain(missing);

    const notExecutable = path.join(temp.dir, 'not-executable');
    writeFileSync(notExecutable, '#!/bin/sh\n');
    chmodSync(notExecutable, 0o644);
    const denied = await spawnChild({ file: notExecutable, ...options }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ChildSpawnError);
    expect((denied as ChildSpawnError).code).toBe('EACCES');
    expect((denied as Error).message).toContain('chmod +x');
  });

  describe('with beforeRun (the gate)', () => {
    function markerScript(name: string): { file: string; marker: string } {
      const file = path.join(temp.dir, `${name}.sh`);
      const marker = path.join(temp.dir, `${name}.ran`);
      writeFileSync(file, `#!/bin/sh\necho "$$" > '${marker}'\necho started "$@"\n`);
      chmodSync(file, 0o755);
      return { file, marker };
    }

    it('runs the command only after beforeRun returned, in the same process and group it was given', async () => {
      const { file, marker } = markerScript('gated');
      const stdout = collectingSink();
      let ranBeforeGo: boolean | undefined;
      let given: { pid: number; pgid: number } | undefined;
      const child = await spawnChild({
        file,
        args: ['a b', '$HOME'],
        env: fixtureEnv(),
        stdout: stdout.sink,
        stderr: collectingSink().sink,
        beforeRun: async (group) => {
          given = group;
          janitor.group(group.pgid);
          // Long enough for an ungated command to have written its marker many times over.
          await new Promise((resolve) => setTimeout(resolve, 300));
          ranBeforeGo = existsSync(marker);
        },
      });
      expect(await child.exited).toMatchObject({ exitCode: 0, signal: null });
      await child.closed;
      expect(ranBeforeGo).toBe(false);
      expect(given).toEqual({ pid: child.pid, pgid: child.pgid });
      // exec, not a fork: the command runs as the very process whose group was recorded.
      expect(Number(readFileSync(marker, 'utf8'))).toBe(child.pid);
      expect(stdout.text()).toBe('started a b $HOME\n');
    });

    it('kills the waiting child and rejects when beforeRun throws; the command never runs', async () => {
      const { file, marker } = markerScript('refused');
      let pgid = 0;
      const error = await spawnChild({
        file,
        args: [],
        env: fixtureEnv(),
        stdout: collectingSink().sink,
        stderr: collectingSink().sink,
        beforeRun: (group) => {
          pgid = group.pgid;
          janitor.group(pgid);
          throw new Error('no state record');
        },
      }).catch((e: unknown) => e);
      expect((error as Error).message).toBe('no state record');
      await waitUntil(() => listProcessGroupMembers(pgid)?.length === 0, 'the waiting child to be gone');
      expect(existsSync(marker)).toBe(false);
    });

    it('reports a missing or non-executable command as spawn does, before anything starts', async () => {
      const options = {
        args: [],
        env: fixtureEnv(),
        stdout: collectingSink().sink,
        stderr: collectingSink().sink,
        beforeRun: () => {
          throw new Error('must not be called');
        },
      };
      const missing = await spawnChild({ file: path.join(temp.dir, 'nope'), ...options }).catch((e) => e);
      expect(missing).toBeInstanceOf(ChildSpawnError);
      expect((missing as ChildSpawnError).code).toBe('ENOENT');
      const notExecutable = path.join(temp.dir, 'gated-not-executable');
      writeFileSync(notExecutable, '#!/bin/sh\n');
      const denied = await spawnChild({ file: notExecutable, ...options }).catch((e) => e);
      expect((denied as ChildSpawnError).code).toBe('EACCES');
      const badCwd = await spawnChild({
        file: FAKE_CDK,
        cwd: path.join(temp.dir, 'no-dir'),
        ...options,
      }).catch((e) => e);
      expect((badCwd as ChildSpawnError).code).toBe('ENOENT');
    });
  });
});
