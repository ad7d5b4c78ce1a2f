// Issue 14, finding 4: a SIGKILL of the supervisor between the child's spawn and the watchdog's arming
// left the child running, unrecorded (4 of 25 runs). Now the child waits in a gate until its group is
// recorded and guarded. Here the real `cred-supervisor watch` is SIGKILLed the moment its first child
// process appears, then a little later each run to sweep the whole start-up; no run may leave anything.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { descendants } from '../support/proc.js';
import { waitUntil } from '../support/wait-until.js';
import { reliabilitySandbox, startFakeSts, startWatch, writeKey } from '../support/watch-session.js';

const RUNS = 25;
const MARKER = 'CRED_SUPERVISOR_SPAWN_WINDOW_RUN';

/** Pids of the processes whose environment carries `MARKER=<run>`: the child, whatever it became. */
function markedProcesses(run: string): number[] {
  const needle = Buffer.from(`${MARKER}=${run}\0`);
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`).includes(needle)) found.push(Number(name));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

describe('a SIGKILL right after the spawn', () => {
  it(`leaves no orphan in ${RUNS} runs, killed at every moment of the start-up`, async () => {
    const sts = await startFakeSts();
    const sandbox = await reliabilitySandbox(sts.url);
    await writeKey(sandbox, sts.issueKey());
    const orphans: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const tag = `${process.pid}-${run}`;
      const finished: (() => unknown)[] = [];
      const watch = startWatch(sandbox, {
        // A state dir per run: each start is then a first start, not one that waits out the lock the
        // previous run's SIGKILLed supervisor left (test/control/lock.test.ts covers that takeover).
        args: [
          '--credentials-file',
          sandbox.credentialsFile,
          '--state-dir',
          path.join(sandbox.dir, `state-${run}`),
        ],
        command: ['sleep', '600'],
        env: { [MARKER]: tag },
        finished: (cleanup) => finished.push(cleanup),
      });
      onTestFinished(async () => {
        for (const cleanup of finished) await cleanup();
      }, 30_000);
      // The first process the supervisor starts (the gated child), then 0, 2, 4… ms later.
      await waitUntil(
        () => descendants(watch.pid).length > 0,
        'the supervisor to start its child',
        15_000,
        1,
      );
      const delayMs = (run % 13) * 2;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      watch.signal('SIGKILL');
      await watch.exited;
      const left = await waitUntil(
        () => markedProcesses(tag).length === 0,
        `run ${run}'s child to be gone`,
        5000,
      )
        .then(() => [])
        .catch(() => markedProcesses(tag));
      orphans.push(...left);
      for (const pid of left) process.kill(pid, 'SIGKILL');
    }
    expect(orphans).toEqual([]);
  }, 180_000);
});
