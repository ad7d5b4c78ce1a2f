// At the descriptor limit (EMFILE), starting the child or a notifier must fail as a value (a
// ChildSpawnError, a 'failed' channel) with a message, never as an unhandled 'error' event that ends
// the process. execa 9 did the latter (and rejected with "subprocess.stdio is not iterable").
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, HARNESS_CACHE } from './build-harness.js';

const run = promisify(execFile);
let harnessFile = '';

beforeAll(async () => {
  harnessFile = await buildHarness(
    'test/fixtures/spawn-at-fd-limit.ts',
    path.join(HARNESS_CACHE, 'fd-limit'),
  );
});

interface Outcome {
  spawn: string;
  notify: { tmux: string; command: string };
  errors: string[];
}

/** The harness under a soft limit of 64 descriptors, with `free` of them left unused. */
async function atLimit(free: number): Promise<Outcome> {
  const { stdout } = await run(
    '/bin/sh',
    ['-c', 'ulimit -n 64 && exec "$0" "$@"', process.execPath, harnessFile, String(free)],
    {
      timeout: 20_000,
    },
  );
  return JSON.parse(stdout) as Outcome;
}

describe('spawning at the descriptor limit', () => {
  it('every number of free descriptors from 0 to 12: a failed start is a message, never a crash', async () => {
    const outcomes: Outcome[] = [];
    for (let free = 0; free <= 12; free++) outcomes.push(await atLimit(free));

    for (const { spawn, notify, errors } of outcomes) {
      expect(spawn).toMatch(
        /^(started|failed: ChildSpawnError: Could not start `\/bin\/sh`: E(MFILE|NFILE) \(too many open files)/,
      );
      expect(['sent', 'failed']).toContain(notify.tmux);
      expect(['ran', 'failed']).toContain(notify.command);
      for (const error of errors) expect(error).toMatch(/^(tmux|command): /);
    }
    // The range covers both sides of the limit: with nothing free the start fails, with enough it runs.
    expect(outcomes[0]?.spawn).toMatch(/^failed: .*EMFILE/);
    expect(outcomes[0]?.notify).toEqual({ bell: false, tmux: 'failed', command: 'failed' });
    expect(outcomes[0]?.errors.join('\n')).toMatch(/could not start: EMFILE/);
    expect(outcomes.at(-1)?.spawn).toBe('started');
    expect(outcomes.at(-1)?.notify.command).toBe('ran');
  }, 120_000);
});
