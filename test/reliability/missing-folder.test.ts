// `--credentials-file` in a folder that does not exist yet (`.secrets/aws/credentials` before the
// script that writes it ever ran). Before: no output, `starting` for ever, the file never noticed,
// and stop, SIGTERM and SIGINT did nothing (the file watcher never reported ready).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait-until.js';
import {
  groupGone,
  readPidFile,
  reliabilitySandbox,
  startFakeSts,
  startWatch,
  writeKey,
} from '../support/watch-session.js';

describe.concurrent('a credentials file in a folder that does not exist yet', () => {
  it('prompts, notices the folders and then the file appearing, starts the command; SIGTERM ends it', async ({
    onTestFinished,
  }) => {
    const sts = await startFakeSts(onTestFinished);
    const sandbox = await reliabilitySandbox(sts.url, onTestFinished);
    const credentialsFile = path.join(sandbox.dir, 'not-yet', 'deeper', 'credentials');
    const pidFile = path.join(sandbox.dir, 'pids.json');
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      args: ['--credentials-file', credentialsFile],
      env: { FAKE_CDK_PID_FILE: pidFile, FAKE_CDK_READY_MARKER: 'CHILD-READY' },
    });
    await watch.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting for credentials');
    expect(watch.output).toContain(credentialsFile);

    // The folders first (as `mkdir -p` does), then the file a moment later.
    await mkdir(path.dirname(credentialsFile), { recursive: true, mode: 0o700 });
    await writeKey(sandbox, sts.issueKey(), credentialsFile);
    await watch.waitFor('CHILD-READY');
    const { pid } = await readPidFile(pidFile);

    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
    await waitUntil(() => groupGone(pid), 'the child group to be gone', 5000);
  });

  it('`stop` ends a supervisor waiting for a file in a missing folder (exit 0)', async ({
    onTestFinished,
  }) => {
    const sts = await startFakeSts(onTestFinished);
    const sandbox = await reliabilitySandbox(sts.url, onTestFinished);
    const credentialsFile = path.join(sandbox.dir, 'nowhere', 'credentials');
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      args: ['--credentials-file', credentialsFile],
    });
    await watch.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting for credentials');
    const stop = await sandbox.run(['stop']);
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(await watch.exited).toMatchObject({ code: 0, signal: null });
  });
});
