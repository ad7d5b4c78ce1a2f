// The state directory stops taking writes while the supervisor runs: full (ENOSPC, a 1 MB tmpfs
// filled up) or read-only (EROFS, the same tmpfs remounted). state.json, the log and the lock all
// live there. Whatever the disk does, a crashed child is restarted and tracked, and `stop`, SIGTERM
// and a double Ctrl+C end the supervisor and its child group. Needs root for the mount; skipped with
// the reason elsewhere.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import { waitUntil } from '../support/wait-until.js';
import {
  type Finished,
  groupGone,
  readPidFile,
  sandboxWithKey,
  startWatchWithReadyChild,
} from '../support/watch-session.js';
import { mountTmpfs, type Tmpfs, tmpfsUnavailable } from './support/tmpfs.js';

const unavailable = tmpfsUnavailable();
if (unavailable) console.warn(`disk-faults.test.ts skipped: ${unavailable}`);

async function supervisedOnTmpfs(finished: Finished, delivery: 'env' | 'endpoint' = 'env') {
  const { sandbox } = await sandboxWithKey(finished);
  const tmpfs = mountTmpfs(1024) as Tmpfs;
  finished(() => tmpfs.unmount());
  const started = await startWatchWithReadyChild(sandbox, {
    finished,
    args: ['--state-dir', tmpfs.dir, '--credentials-file', sandbox.credentialsFile, '--delivery', delivery],
    env: { CRED_SUPERVISOR_BACKOFF_MS: '100' },
  });
  return { sandbox, tmpfs, ...started, pid: started.childPid };
}

describe.runIf(unavailable === null).concurrent('a state directory that stops taking writes', () => {
  it('full disk: a crashed child is restarted and tracked, then `stop` ends everything (exit 0)', async ({
    onTestFinished,
  }) => {
    const { sandbox, tmpfs, watch, pid, pidFile } = await supervisedOnTmpfs(onTestFinished);
    tmpfs.fill();
    await rm(pidFile);
    const since = watch.mark();
    process.kill(pid, 'SIGKILL');
    await watch.waitFor('CHILD-READY', { since });
    const restarted = (await readPidFile(pidFile)).pid;
    expect(restarted).not.toBe(pid);
    // Tracked: the supervisor knows the new child although state.json could not be written.
    const status = await requestStatus(tmpfs.dir, { timeoutMs: 5000 });
    expect(status).toMatchObject({ state: 'running', child: { pid: restarted } });
    // Either the record could not be written (and the supervisor said so), or a page was freed in
    // the meantime (the stale tmux segment is removed when it cannot be rewritten) and the record
    // names the new child. Never a record that names the dead one without a word.
    const record = await readFile(path.join(tmpfs.dir, 'state.json'), 'utf8').catch(() => '{}');
    if ((JSON.parse(record) as { childPgid?: number }).childPgid !== restarted) {
      expect(watch.output).toMatch(/cannot write the state record \(ENOSPC\)/);
    }

    const stop = await sandbox.run(['stop', '--state-dir', tmpfs.dir]);
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(await watch.exited).toMatchObject({ code: 0, signal: null });
    await waitUntil(() => groupGone(restarted), 'the restarted child group to be gone', 5000);
  });

  it('full disk, endpoint delivery: SIGTERM ends the supervisor and its child group (143)', async ({
    onTestFinished,
  }) => {
    const { tmpfs, watch, pid } = await supervisedOnTmpfs(onTestFinished, 'endpoint');
    tmpfs.fill();
    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
    await waitUntil(() => groupGone(pid), 'the child group to be gone', 5000);
  });

  it('read-only disk: Ctrl+C twice ends the supervisor and its child group (130)', async ({
    onTestFinished,
  }) => {
    const { tmpfs, watch, pid } = await supervisedOnTmpfs(onTestFinished);
    tmpfs.readOnly();
    watch.signal('SIGINT');
    watch.signal('SIGINT');
    expect(await watch.exited).toMatchObject({ code: 130, signal: null });
    await waitUntil(() => groupGone(pid), 'the child group to be gone', 5000);
  });

  it('read-only disk: a crashed child is restarted, and SIGTERM still ends it (143)', async ({
    onTestFinished,
  }) => {
    const { tmpfs, watch, pid, pidFile } = await supervisedOnTmpfs(onTestFinished);
    tmpfs.readOnly();
    await rm(pidFile);
    const since = watch.mark();
    process.kill(pid, 'SIGKILL');
    await watch.waitFor('CHILD-READY', { since });
    const restarted = (await readPidFile(pidFile)).pid;
    // The control socket vanished with the old file system: the stop that ends this child is a signal.
    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
    await waitUntil(() => groupGone(restarted), 'the restarted child group to be gone', 5000);
  });
});
