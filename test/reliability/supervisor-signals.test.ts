// The supervisor itself under attack: SIGKILL, SIGTERM, SIGHUP, a burst of Ctrl+C, a second
// supervisor in the same directory, a log file on a full disk. Through the real `cred-supervisor watch`;
// after each, nothing of the child's process group may be left. The pieces are unit tested in
// test/child/watchdog.test.ts, test/control/lock.test.ts, test/logging/logger.test.ts and
// test/supervisor/stop-transitions.test.ts.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { descendants, procBytes } from '../support/proc.js';
import { waitUntil } from '../support/wait-until.js';
import {
  type Finished,
  groupGone,
  isProcessGone,
  readPidFile,
  reliabilitySandbox,
  startFakeSts,
  startWatch,
  type WatchSession,
  writeKey,
} from '../support/watch-session.js';

/** A running supervisor (its own fake STS and sandbox) whose child has a grandchild in its group. */
async function supervisedFamily(finished: Finished, extraEnv: NodeJS.ProcessEnv = {}, flags: string[] = []) {
  const sts = await startFakeSts(finished);
  const sandbox = await reliabilitySandbox(sts.url, finished);
  await writeKey(sandbox, sts.issueKey());
  const pidFile = path.join(sandbox.dir, 'pids.json');
  const watch = startWatch(sandbox, {
    finished,
    args: flags,
    env: {
      FAKE_CDK_GRANDCHILD: '1',
      FAKE_CDK_PID_FILE: pidFile,
      FAKE_CDK_READY_MARKER: 'CHILD-READY',
      ...extraEnv,
    },
  });
  await watch.waitFor('CHILD-READY');
  const { pid, grandchildPid } = await readPidFile(pidFile);
  return { sts, sandbox, watch, pid, grandchildPid: grandchildPid! };
}

/** What `$?` shows for an exit: the code, or 128 + the number of the signal that ended it. */
function shellStatus(exit: { code: number | null; signal: NodeJS.Signals | null }): number {
  return exit.code ?? 128 + os.constants.signals[exit.signal!];
}

/** A state dir once its supervisor is gone: the credentials, the log and the neutral AWS files. */
const STATE_DIR_AT_REST = ['aws-config', 'aws-credentials', 'credentials', 'supervisor.log'];

function familyGone(family: { pid: number; grandchildPid: number }): boolean {
  return isProcessGone(family.pid) && isProcessGone(family.grandchildPid) && groupGone(family.pid);
}

/** The watchdog: a detached child that names itself `cred-supervisor-watchdog` (process.title). */
async function watchdogOf(watch: WatchSession): Promise<number> {
  let found: number | undefined;
  await waitUntil(() => {
    found = descendants(watch.pid).find((pid) =>
      procBytes(pid, 'cmdline').toString().startsWith('cred-supervisor-watchdog'),
    );
    return found !== undefined;
  }, 'the watchdog process');
  return found!;
}

// Every test has its own fake STS, directory and supervisor, and mostly waits: they run together.
describe.concurrent('signals to the supervisor (built CLI)', () => {
  it('SIGKILL: the watchdog takes the child group (grandchild included) down within 5 s', async ({
    onTestFinished,
  }) => {
    const family = await supervisedFamily(onTestFinished);
    expect(await watchdogOf(family.watch)).toBeTypeOf('number');
    family.watch.signal('SIGKILL');
    expect(await family.watch.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
    // The spec's promise, so the deadline here is the promised one.
    await waitUntil(() => familyGone(family), 'the child group to be gone after SIGKILL', 5000);
  });

  it('SIGKILL with the watchdog killed too: the next start cleans the recorded group', async ({
    onTestFinished,
  }) => {
    const family = await supervisedFamily(onTestFinished);
    const watchdog = await watchdogOf(family.watch);
    process.kill(watchdog, 'SIGKILL');
    family.watch.signal('SIGKILL');
    await family.watch.exited;
    await waitUntil(() => isProcessGone(watchdog), 'the watchdog to die');
    expect(familyGone(family)).toBe(false); // orphaned, for now

    const next = startWatch(family.sandbox, {
      finished: onTestFinished,
      env: { FAKE_CDK_READY_MARKER: 'NEXT-READY' },
    });
    // The pause before the takeover is explained, not silent.
    await next.waitFor(`the supervisor that ran here (pid ${family.watch.pid}) is gone but its lock is left`);
    await next.waitFor(`stopped the processes left by a supervisor that died (pid ${family.watch.pid})`);
    expect(familyGone(family)).toBe(true);
    await next.waitFor('NEXT-READY');
    next.signal('SIGTERM');
    expect((await next.exited).code).toBe(143);
  });

  it('SIGTERM: stops the group, releases the lock, exits 143', async ({ onTestFinished }) => {
    const family = await supervisedFamily(onTestFinished);
    family.watch.signal('SIGTERM');
    expect(await family.watch.exited).toMatchObject({ code: 143, signal: null });
    expect(familyGone(family)).toBe(true);
    expect(family.watch.output).toContain('FAKE_CDK_SIGNAL=SIGINT');
    expect(readdirSync(family.watch.stateDir).sort()).toEqual(STATE_DIR_AT_REST);
  });

  it('SIGHUP (the terminal went away): stops everything quietly, exits 129', async ({ onTestFinished }) => {
    const family = await supervisedFamily(onTestFinished);
    const since = family.watch.mark();
    family.watch.signal('SIGHUP');
    expect(await family.watch.exited).toMatchObject({ code: 129, signal: null });
    expect(familyGone(family)).toBe(true);
    // Nothing is written to a terminal that is gone: only the child's own last words.
    expect(family.watch.outputSince(since)).not.toContain('[cred-supervisor]');
  });

  it('Ctrl+C five times in a row: the second forces (SIGKILL), exit 130, nothing left', async ({
    onTestFinished,
  }) => {
    // A child that ignores SIGINT and SIGTERM and a grace far longer than the test: only forcing ends it.
    const family = await supervisedFamily(
      onTestFinished,
      {
        FAKE_CDK_IGNORE_SIGNALS: 'SIGINT,SIGTERM',
        FAKE_CDK_GRANDCHILD_IGNORE_SIGNALS: 'SIGINT,SIGTERM',
      },
      ['--stop-grace', '10m'],
    );
    // Signals are not queued: a burst sent before the supervisor runs arrives as one. A person's
    // presses are apart; so are these, the later ones after the first was acknowledged.
    const since = family.watch.mark();
    family.watch.signal('SIGINT');
    await family.watch.waitFor('Stopping the command gracefully', { since });
    // Then keep pressing, every few ms, until it is gone: no press may find it defenceless.
    while (family.watch.running) {
      family.watch.signal('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // What the shell sees: 130. (A press that lands after the teardown, while Node exits, meets the
    // default action: a death by SIGINT, which a shell also reports as 130.)
    expect(shellStatus(await family.watch.exited)).toBe(130);
    expect(familyGone(family)).toBe(true);
    // Nothing left behind: no lock, no state record, no control socket.
    expect(readdirSync(family.watch.stateDir).sort()).toEqual(STATE_DIR_AT_REST);
    const output = family.watch.output;
    expect(output).toContain('Stopping the command gracefully; press Ctrl+C again to force.');
    expect(output).toContain('Forcing the stop (SIGKILL).');
  });

  it('a second supervisor in the same directory is refused, naming the first one’s pid', async ({
    onTestFinished,
  }) => {
    const family = await supervisedFamily(onTestFinished);
    const second = startWatch(family.sandbox, {
      finished: onTestFinished,
      env: { FAKE_CDK_READY_MARKER: 'SECOND-READY' },
    });
    expect(await second.exited).toMatchObject({ code: 1, signal: null });
    expect(second.output).toContain(String(family.watch.pid));
    expect(second.output).not.toContain('SECOND-READY');
    // The first one is untouched.
    expect(await family.watch.status()).toMatchObject({ state: 'running', pid: family.watch.pid });
    expect(isProcessGone(family.pid)).toBe(false);
    family.watch.signal('SIGTERM');
    expect((await family.watch.exited).code).toBe(143);
    expect(familyGone(family)).toBe(true);
  });

  it('a log file on a full disk (/dev/full): one warning, and supervision goes on', async ({
    onTestFinished,
  }) => {
    const family = await supervisedFamily(onTestFinished, {}, [
      '--log-file',
      '/dev/full',
      '--log-level',
      'debug',
    ]);
    // More to log: each reload (SIGUSR1) verifies again, and logs it.
    for (let i = 0; i < 3; i++) {
      const before = family.sts.requests.length;
      family.watch.signal('SIGUSR1');
      await waitUntil(() => family.sts.requests.length > before, 'the reload to reach STS');
    }
    expect(await family.watch.status()).toMatchObject({ state: 'running', child: { restarts: 0 } });
    const output = family.watch.output;
    expect(output.match(/cannot write the log file \/dev\/full/g)).toHaveLength(1);
    expect(output).toContain('Supervision goes on.');
    family.watch.signal('SIGTERM');
    expect((await family.watch.exited).code).toBe(143);
    expect(familyGone(family)).toBe(true);
  });
});
