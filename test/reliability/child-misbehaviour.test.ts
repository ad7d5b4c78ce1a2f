// A child that misbehaves, under the real `cred-supervisor watch`: it crashes in a loop, ignores
// SIGINT and SIGTERM, leaves grandchildren (one of them escaping with setsid), floods its output,
// prints a 5 MB line without a newline and bytes that are not UTF-8. The same behaviours at the level
// of the child modules are unit tested in test/child/ (stop-process-group, spawn-child) and
// test/supervisor/child-transitions.test.ts; here they are checked end to end.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/config/duration.js';
import { residentKb } from '../support/proc.js';
import { waitUntil } from '../support/wait-until.js';
import {
  groupGone,
  isProcessGone,
  readPidFile,
  sandboxWithKey,
  startWatch,
} from '../support/watch-session.js';

describe('a misbehaving child (built CLI)', () => {
  // Each test has its own supervisor and mostly waits (the crash loop's backoff above all): they run
  // together. The flood measures only its own supervisor's memory, so the others do not disturb it.
  it.concurrent('a crash loop ends in fatal with a message (exit 1 without a terminal), not a restart storm', async ({
    onTestFinished,
  }) => {
    const { sts, sandbox } = await sandboxWithKey(onTestFinished);
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      env: {
        FAKE_CDK_LINES: 'CRASHING',
        FAKE_CDK_EXIT_CODE: '3',
        // Scales the crash backoff down where the watch tuning knob exists (CRED_SUPERVISOR_BACKOFF_MS,
        // a test-only setting); without it the real pace, 1 s to 8 s, is what runs. Either way the
        // delays double and the fifth crash ends it.
        CRED_SUPERVISOR_BACKOFF_MS: '250',
      },
    });
    expect(await watch.exited).toMatchObject({ code: 1, signal: null });
    const output = watch.output;
    // Five starts, restarts after doubling delays, then the verdict.
    expect(output.match(/^CRASHING$/gm)).toHaveLength(5);
    const delays = [...output.matchAll(/exited with code 3\. Restarting in (\w+)\./g)].map((m) =>
      parseDuration(m[1]!),
    );
    expect(delays).toHaveLength(4);
    expect(delays.slice(1)).toEqual(delays.slice(0, -1).map((d) => d * 2));
    expect(output).toMatch(/5 crashes within 2m \(limit 5\)\. Not restarting it; fix the command/);
    expect(output).toContain('fatal');
    // Each start was verified again with STS first (the credentials may have changed meanwhile).
    expect(sts.requests.filter((r) => r.action === 'GetCallerIdentity').length).toBeGreaterThanOrEqual(5);
  }, 40_000);

  it.concurrent('ignores SIGINT and SIGTERM: escalated to SIGKILL after --stop-grace, the group confirmed empty', async ({
    onTestFinished,
  }) => {
    const { sandbox } = await sandboxWithKey(onTestFinished);
    const pidFile = path.join(sandbox.dir, 'pids.json');
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      args: ['--stop-grace', '300ms'],
      env: {
        FAKE_CDK_IGNORE_SIGNALS: 'SIGINT,SIGTERM',
        FAKE_CDK_GRANDCHILD: '1',
        FAKE_CDK_GRANDCHILD_IGNORE_SIGNALS: 'SIGINT,SIGTERM',
        FAKE_CDK_PID_FILE: pidFile,
        FAKE_CDK_READY_MARKER: 'CHILD-READY',
      },
    });
    await watch.waitFor('CHILD-READY');
    const { pid, grandchildPid } = await readPidFile(pidFile);

    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
    const output = watch.output;
    expect(output).toContain('FAKE_CDK_SIGNAL=SIGINT ignored');
    expect(output).toContain('FAKE_CDK_SIGNAL=SIGTERM ignored');
    // The supervisor only exits once the group is empty: nothing to wait for afterwards.
    expect(isProcessGone(pid)).toBe(true);
    expect(isProcessGone(grandchildPid!)).toBe(true);
    expect(groupGone(pid)).toBe(true);
  });

  it.concurrent('stops a grandchild in the group; one that left it with setsid survives (documented limit)', async ({
    onTestFinished,
  }) => {
    const { sandbox } = await sandboxWithKey(onTestFinished);
    const pidFile = path.join(sandbox.dir, 'pids.json');
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      env: {
        FAKE_CDK_GRANDCHILD: '1',
        FAKE_CDK_ESCAPE_GRANDCHILD: '1',
        FAKE_CDK_PID_FILE: pidFile,
        FAKE_CDK_READY_MARKER: 'CHILD-READY',
      },
    });
    await watch.waitFor('CHILD-READY');
    const { pid, grandchildPid, escapedPid } = await readPidFile(pidFile);
    onTestFinished(() => {
      try {
        process.kill(escapedPid!, 'SIGKILL');
      } catch {}
    });

    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
    expect(isProcessGone(pid)).toBe(true);
    expect(isProcessGone(grandchildPid!)).toBe(true);
    // setsid took it out of the process group: no group signal reaches it. The README says so.
    expect(isProcessGone(escapedPid!)).toBe(false);
    process.kill(escapedPid!, 'SIGKILL');
    await waitUntil(() => isProcessGone(escapedPid!), 'the escaped grandchild to die', 5000);
  });

  it.concurrent('passes a 5 MB line without a newline and invalid UTF-8 through byte for byte', async ({
    onTestFinished,
  }) => {
    const { sandbox } = await sandboxWithKey(onTestFinished);
    const bytes = Buffer.concat([
      Buffer.from('start:'),
      randomBytes(5 * 1024 * 1024).map((b) => (b === 0x0a ? 0x20 : b)),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), // invalid and cut sequences, no newline
    ]);
    const emitFile = path.join(sandbox.dir, 'emit.bin');
    await writeFile(emitFile, bytes);
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      env: { FAKE_CDK_STREAM: 'stdout', FAKE_CDK_EMIT_FILE: emitFile, FAKE_CDK_EXIT_CODE: '0' },
    });
    expect(await watch.exited).toMatchObject({ code: 0, signal: null });
    const stdout = watch.stdoutBytes;
    // The supervisor's own lines go to stderr; stdout is the child's, unchanged. At exit the
    // unfinished last line is ended with a newline so the next prompt starts on its own line.
    expect(stdout.subarray(0, bytes.length).equals(bytes)).toBe(true);
    expect(stdout.subarray(bytes.length).toString()).toMatch(/^\n?$/);
    expect(watch.stderrBytes.toString()).toContain(
      'The command exited with code 0; cred-supervisor stops too.',
    );
  });

  it.concurrent('floods its output, also while the terminal stops reading: the supervisor memory stays bounded', async ({
    onTestFinished,
  }) => {
    const { sandbox } = await sandboxWithKey(onTestFinished);
    // 24 lines of 4 KiB (an environment variable holds at most 128 KiB), again and again, every
    // 10 ms at most: up to ~10 MB/s.
    const line = 'x'.repeat(4 * 1024);
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      env: {
        FAKE_CDK_LINES: Array.from({ length: 24 }, (_, i) => `${i} ${line}`).join('\n'),
        FAKE_CDK_LOOP: '1',
      },
    });
    const received = () => watch.stderrBytes.length;
    await waitUntil(() => received() > 4 * 1024 * 1024, 'the flood to start');
    const samples: number[] = [];
    const sample = () => {
      const kb = residentKb(watch.pid);
      if (kb !== undefined) samples.push(kb);
    };
    const sampler = setInterval(sample, 100);
    onTestFinished(() => clearInterval(sampler));
    /** Lets the flood run `ms`; returns the bytes that reached us and the RSS samples taken meanwhile. */
    const phase = async (ms: number) => {
      const [bytes, first] = [received(), samples.length];
      const until = Date.now() + ms;
      await waitUntil(() => Date.now() >= until, `${ms} ms of flood`, ms + 1000);
      return { bytes: received() - bytes, rss: samples.slice(first) };
    };
    const warmUp = await phase(1500);
    // The terminal stops reading (scrolled back, Ctrl+S, a stuck tmux pane) …
    watch.process.stderr?.pause();
    const paused = await phase(2000);
    // … the supervisor still answers …
    expect(await watch.status()).toMatchObject({ state: 'running', child: { restarts: 0 } });
    // … and once the terminal reads again, so does the child: it was slowed down, not buffered.
    watch.process.stderr?.resume();
    const resumed = await phase(1500);
    clearInterval(sampler);

    const detail = `RSS samples (KiB): ${samples.join(' ')}`;
    expect(warmUp.bytes).toBeGreaterThan(1024 * 1024);
    expect(resumed.bytes).toBeGreaterThan(1024 * 1024);
    const warm = Math.max(...warmUp.rss);
    // While nobody reads, the child is paused: the supervisor does not hold its output. Held, the
    // 2 s of output at the warm-up's rate would show as at least that much more memory.
    const wouldHoldKb = ((warmUp.bytes / 1.5) * 2) / 1024;
    expect(Math.max(...paused.rss) - warm, detail).toBeLessThan(Math.max(wouldHoldKb / 2, 2048));
    // Tens of MB went through in all; the supervisor grew by far less than that.
    expect(Math.max(...samples) - samples[0]!, detail).toBeLessThan(64 * 1024);

    watch.signal('SIGINT');
    expect((await watch.exited).code).toBe(130);
  });
});
