// What is not the supervisor's stays as it is: folders it did not make keep their mode, a lock held
// by a live (even stopped) supervisor is never taken, a refused second start leaves the first one's
// lock and record alone, and a socket folder planted by another user is refused by name.
import { chmodSync, chownSync, mkdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import { LOCK_DIR_NAME } from '../../src/control/lock.js';
import { MAX_SOCKET_PATH_BYTES } from '../../src/control/socket-path.js';
import { readStateRecord } from '../../src/control/state-record.js';
import { sandboxWithKey, startWatch, startWatchWithReadyChild } from '../support/watch-session.js';

const modeOf = (dir: string) => statSync(dir).mode & 0o7777;
const isRoot = process.getuid?.() === 0;

describe.concurrent('hands off what is not ours', () => {
  it('refuses a world-writable scratch folder as --state-dir, naming the fix, and leaves its mode (1777)', async ({
    onTestFinished,
  }) => {
    const { sandbox } = await sandboxWithKey(onTestFinished);
    const scratch = path.join(sandbox.dir, 'scratch');
    mkdirSync(scratch);
    chmodSync(scratch, 0o1777);
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      args: ['--state-dir', scratch, '--credentials-file', sandbox.credentialsFile],
    });
    expect((await watch.exited).code).toBe(1);
    expect(watch.output).toContain(
      `The state directory ${scratch} can be written by its group and everyone (mode 1777)`,
    );
    expect(watch.output).toContain('Choose a folder of your own with --state-dir');
    expect(modeOf(scratch)).toBe(0o1777);
  });

  it('`--state-dir .` runs in the project folder without changing its mode (755)', async ({
    onTestFinished,
  }) => {
    const { sandbox } = await sandboxWithKey(onTestFinished);
    chmodSync(sandbox.dir, 0o755);
    const { watch } = await startWatchWithReadyChild(sandbox, {
      finished: onTestFinished,
      args: ['--state-dir', '.', '--credentials-file', sandbox.credentialsFile],
    });
    expect(modeOf(sandbox.dir)).toBe(0o755);
    watch.signal('SIGTERM');
    expect((await watch.exited).code).toBe(143);
    expect(modeOf(sandbox.dir)).toBe(0o755);
  });

  it('a supervisor stopped (SIGSTOP) past the old stale time keeps its lock; the refused second start names it and deletes nothing', async ({
    onTestFinished,
  }) => {
    const { sandbox } = await sandboxWithKey(onTestFinished);
    const { watch: first } = await startWatchWithReadyChild(sandbox, { finished: onTestFinished });
    first.signal('SIGSTOP');
    onTestFinished(() => {
      if (first.running) first.signal('SIGCONT');
    });
    // What 65 s of SIGSTOP does to the lock: its keep-alive stops. Aged here instead of waited for.
    const lockDir = path.join(first.stateDir, LOCK_DIR_NAME);
    const longAgo = new Date(Date.now() - 65_000);
    utimesSync(lockDir, longAgo, longAgo);

    const second = startWatch(sandbox, { finished: onTestFinished });
    expect((await second.exited).code).toBe(1);
    expect(second.output).toContain(`Another cred-supervisor (pid ${first.pid}) is already running`);
    expect(readStateRecord(first.stateDir)?.pid).toBe(first.pid);
    expect(statSync(lockDir).isDirectory()).toBe(true);

    first.signal('SIGCONT');
    expect((await requestStatus(first.stateDir, { timeoutMs: 5000 })).pid).toBe(first.pid);
    const stop = await sandbox.run(['stop']);
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect((await first.exited).code).toBe(0);
  });

  it.runIf(isRoot)(
    'refuses a socket folder another user planted under the temp dir, naming the folder and its owner',
    async ({ onTestFinished }) => {
      const { sandbox } = await sandboxWithKey(onTestFinished);
      // A state dir too deep for a unix socket path: its socket goes to <TMPDIR>/cred-supervisor-<uid>.
      const deep = path.join(sandbox.dir, 'p'.repeat(60), 'q'.repeat(40), '.cred-supervisor');
      expect(Buffer.byteLength(path.join(deep, 'control.sock'))).toBeGreaterThan(MAX_SOCKET_PATH_BYTES);
      // A temp dir of this test's own, so the machine's real /tmp/cred-supervisor-<uid> is not touched.
      const tmp = path.join(sandbox.dir, 'tmp');
      const planted = path.join(tmp, `cred-supervisor-${process.getuid?.()}`);
      mkdirSync(planted, { recursive: true, mode: 0o700 });
      chownSync(planted, 65534, 65534);
      const watch = startWatch(sandbox, {
        finished: onTestFinished,
        args: ['--state-dir', deep, '--credentials-file', sandbox.credentialsFile],
        env: { TMPDIR: tmp },
      });
      expect((await watch.exited).code).toBe(1);
      const output = watch.output;
      expect(output).toContain(`${planted}, the folder for control sockets`);
      expect(output).toMatch(/belongs to user id 65534( \(\w+\))?, not to you/);
      expect(output).not.toContain('The state directory');
      expect(statSync(planted).uid).toBe(65534);
    },
  );
});
