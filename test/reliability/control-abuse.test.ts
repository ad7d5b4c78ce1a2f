// The control socket misused by its own user: a client that sends requests and never reads the
// replies (before: the supervisor grew to 3.5 GB), and many `cred-supervisor stop`s at once during the
// shutdown (before: some exited 1 with ECONNRESET or "are both the same version?").
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { controlSocketPath } from '../../src/control/socket-path.js';
import { residentKb } from '../support/proc.js';
import { waitUntil } from '../support/wait-until.js';
import {
  type Finished,
  groupGone,
  sandboxWithKey,
  startWatchWithReadyChild,
} from '../support/watch-session.js';

async function runningSupervisor(finished: Finished) {
  const { sandbox } = await sandboxWithKey(finished);
  const { watch, childPid } = await startWatchWithReadyChild(sandbox, { finished });
  return { sandbox, watch, childPid };
}

/** 64 MB of status requests, about 2.4 million of them: held replies would take hundreds of MB. */
const FLOOD_BYTES = 64 * 1024 * 1024;

describe.concurrent('the control socket misused', () => {
  it('a client that floods status requests and never reads: memory stays bounded, others are still answered', async ({
    onTestFinished,
  }) => {
    const { sandbox, watch } = await runningSupervisor(onTestFinished);
    const before = residentKb(watch.pid)!;
    const flooder = net.connect(controlSocketPath(watch.stateDir));
    onTestFinished(() => {
      flooder.destroy();
    });
    flooder.on('error', () => {});
    flooder.pause(); // never reads a reply
    await new Promise<void>((resolve) => flooder.once('connect', () => resolve()));
    const line = `${JSON.stringify({ id: 1, command: 'status' })}\n`;
    const chunk = line.repeat(Math.floor((64 * 1024) / line.length));
    let sent = 0;
    // Offered as fast as the socket takes them; what it does not take waits in this (test) process.
    while (sent < FLOOD_BYTES) {
      flooder.write(chunk);
      sent += chunk.length;
    }
    // The supervisor reads until it has taken everything or stops reading; either way what is left
    // on our side then stays the same for two seconds.
    let last = -1;
    let steadySince = Date.now();
    await waitUntil(
      () => {
        const left = flooder.writableLength;
        if (left !== last) {
          last = left;
          steadySince = Date.now();
        }
        return Date.now() - steadySince > 2000;
      },
      'the supervisor to take everything or stop reading',
      60_000,
      100,
    );
    expect(flooder.writableLength).toBeGreaterThan(FLOOD_BYTES / 2);
    const grownKb = residentKb(watch.pid)! - before;
    console.log(`control flood: supervisor RSS grew ${Math.round(grownKb / 1024)} MB`);
    expect(grownKb).toBeLessThan(20 * 1024);
    // Another client is still answered.
    const status = await sandbox.run(['status', '--json']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).pid).toBe(watch.pid);
  });

  it('eight `stop`s at once: none fails; each says stopping (or, arriving after the exit, that nothing runs)', async ({
    onTestFinished,
  }) => {
    const { sandbox, watch, childPid } = await runningSupervisor(onTestFinished);
    const runs = await Promise.all(Array.from({ length: 8 }, () => sandbox.run(['stop'])));
    for (const run of runs) {
      const said = `${run.stdout}${run.stderr}`;
      if (run.exitCode === 3) {
        // Started after the supervisor had fully gone: the documented answer for nothing to stop.
        expect(run.stderr, JSON.stringify(run.stderr)).toMatch(
          /^cred-supervisor: No cred-supervisor is running in .*\. Nothing to stop\.$/,
        );
        continue;
      }
      expect(run.exitCode, said).toBe(0);
      expect(run.stdout).toMatch(
        /^(Stopping\.|The supervisor stopped\.|The supervisor( \(pid \d+\))? is already stopping\.)$/,
      );
      expect(run.stderr).toBe('');
    }
    // At least the first one met it running.
    expect(runs.filter((run) => run.exitCode === 0).length).toBeGreaterThan(0);
    expect((await watch.exited).code).toBe(0);
    await waitUntil(() => groupGone(childPid), 'the child group to be gone', 5000);
  });
});
