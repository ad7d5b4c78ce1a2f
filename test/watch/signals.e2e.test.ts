// Stopping `watch`, through the built CLI: Ctrl+C stops gracefully and says so, a second Ctrl+C
// forces, SIGTERM and SIGHUP stop everything; the exit code says which signal; and no process of the
// child's group outlives the supervisor: not the child, not the grandchild it started (the CDK app),
// also when the signal comes while the child is being spawned, and also when the supervisor is
// SIGKILLed (its watchdog kills the group).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import {
  FAKE_CDK,
  isAlive,
  NO_PROBES,
  startWatch,
  useWatchProject,
  type WatchProject,
  type WatchSession,
  waitUntil,
} from '../support/watch-session.js';

let sts: FakeSts;
let project: WatchProject;
let pidFile: string;

useWatchProject(async (context) => {
  ({ sts, project } = context);
  await project.writeCredentials(sts.issueKey());
  pidFile = path.join(project.dir, 'child.json');
});

interface Family {
  pid: number;
  grandchildPid: number;
}

/** Starts a child that starts a grandchild in its group; resolves once both are up. */
async function startFamily(args: string[], env: Record<string, string> = {}) {
  const session = startWatch(project, {
    args: ['--check-schedule', NO_PROBES, ...args],
    env: {
      FAKE_CDK_GRANDCHILD: '1',
      FAKE_CDK_PID_FILE: pidFile,
      FAKE_CDK_READY_MARKER: 'FAKE_READY',
      ...env,
    },
  });
  await session.waitForOutput(/FAKE_READY/);
  const family = JSON.parse(await readFile(pidFile, 'utf8')) as Family;
  expect(isAlive(family.pid) && isAlive(family.grandchildPid)).toBe(true);
  return { session, family };
}

/** The supervisor confirms the group is empty before it exits: nothing may be left at that moment. */
function expectGone(family: Family): void {
  expect({ child: isAlive(family.pid), grandchild: isAlive(family.grandchildPid) }).toEqual({
    child: false,
    grandchild: false,
  });
}

describe('watch: Ctrl+C', () => {
  it('stops the whole group gracefully, says so, and exits 130', async () => {
    // The grandchild shrugs SIGINT off, as a CDK app may: the stop goes on to SIGTERM.
    const { session, family } = await startFamily(['--stop-grace', '500ms'], {
      FAKE_CDK_GRANDCHILD_IGNORE_SIGNALS: 'SIGINT',
    });
    session.kill('SIGINT');
    await session.waitForOutput(/Stopping the command gracefully; press Ctrl\+C again to force\./);
    const exit = await session.waitForExit();
    expect(exit.code).toBe(130);
    expect(session.output).toContain('FAKE_CDK_SIGNAL=SIGINT');
    expectGone(family);
  });

  it('a second Ctrl+C kills a group that ignores SIGINT and SIGTERM at once, without waiting for the grace', async () => {
    const { session, family } = await startFamily(['--stop-grace', '30s'], {
      FAKE_CDK_IGNORE_SIGNALS: 'SIGINT,SIGTERM',
      FAKE_CDK_GRANDCHILD_IGNORE_SIGNALS: 'SIGINT,SIGTERM',
    });
    session.kill('SIGINT');
    await session.waitForOutput(/FAKE_CDK_SIGNAL=SIGINT ignored/);
    const forcedAt = Date.now();
    session.kill('SIGINT');
    await session.waitForOutput(/Forcing the stop \(SIGKILL\)\./);
    const exit = await session.waitForExit(10_000);
    expect(exit.code).toBe(130);
    expect(exit.at - forcedAt).toBeLessThan(10_000); // far below the 30 s grace
    expectGone(family);
  });

  it('arriving while the child is being spawned, still stops that child and exits', async () => {
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      env: { FAKE_CDK_GRANDCHILD: '1', FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    // The status line printed once the credentials are verified, right before the spawn.
    await session.waitForOutput(/\[cred-supervisor\] starting · account/);
    session.kill('SIGINT');
    const exit = await session.waitForExit();
    expect(exit.code).toBe(130);
    const pids = session.childPids();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    // Whatever the child got to start is gone too: nothing of the project runs any more.
    const grandchildren = [...session.output.matchAll(/GRANDCHILD_PID=(\d+)/g)].map((m) => Number(m[1]));
    for (const pid of grandchildren) expect(isAlive(pid)).toBe(false);
  });
});

describe('watch: a process that left the group', () => {
  it('does not hang the stop when a detached process still holds the output', async () => {
    // `setsid` takes `sleep` out of the group; it inherited the shell's stdout/stderr, so the pipes
    // stay open after the whole group is gone.
    const script = `setsid sleep 30 & echo "ESCAPED_PID=$!"; exec ${FAKE_CDK}`;
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES, '--stop-grace', '1s'],
      command: ['/bin/sh', '-c', script],
      env: { FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    const escaped = Number((await session.waitForOutput(/ESCAPED_PID=(\d+)/))[1]);
    onTestFinished(() => {
      try {
        process.kill(escaped, 'SIGKILL');
      } catch {}
    });
    await session.waitForOutput(/FAKE_READY/);
    session.kill('SIGINT');
    const exit = await session.waitForExit(5000);
    expect(exit.code).toBe(130);
    expect(session.output).toMatch(/a process it detached \(setsid, a daemon\) still holds its output/);
    expect(isAlive(escaped)).toBe(true); // not ours to stop: it left the group
  });
});

describe('watch: stopping without a child', () => {
  it('Ctrl+C while waiting for credentials exits 130 at once', async () => {
    const stale = sts.issueKey();
    sts.revokeKey(stale.accessKeyId);
    await project.writeCredentials(stale);
    const session = startWatch(project, { args: ['--check-schedule', NO_PROBES] });
    await session.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting-for-credentials');
    session.kill('SIGINT');
    expect((await session.waitForExit(5000)).code).toBe(130);
    expect(session.childPids()).toEqual([]);
  });
});

describe('watch: one supervisor per directory', () => {
  it('refuses a second supervisor, naming the PID of the first, which keeps running', async () => {
    const { session: first } = await startFamily([]);
    const second = startWatch(project, { args: ['--check-schedule', NO_PROBES] });
    const exit = await second.waitForExit();
    expect(exit.code).toBe(1);
    expect(second.stderr).toContain(String(first.pid));
    expect(second.childPids()).toHaveLength(1); // the log is shared: only the first one's child
    expect(await first.status()).toMatchObject({ state: 'running', pid: first.pid });
  });
});

describe('watch: SIGTERM and SIGHUP', () => {
  it('SIGTERM stops the group and exits 143', async () => {
    const { session, family } = await startFamily(['--stop-grace', '1s']);
    session.kill('SIGTERM');
    const exit = await session.waitForExit();
    expect(exit.code).toBe(143);
    expectGone(family);
  });

  it('SIGHUP (the terminal went away) stops everything, exits 129, and writes nothing more', async () => {
    const { session, family } = await startFamily(['--stop-grace', '1s']);
    const from = session.mark();
    session.kill('SIGHUP');
    const exit = await session.waitForExit();
    expect(exit.code).toBe(129);
    expectGone(family);
    expect(session.output.slice(from)).not.toMatch(/\[cred-supervisor\]/);
  });
});

describe('watch: its output goes away', () => {
  it('stops everything as for SIGHUP when writing to its output fails, instead of crashing', async () => {
    // The child writes all the time, so the supervisor writes to its (closed) output soon after.
    const { session, family } = await startFamily(['--stop-grace', '1s'], {
      FAKE_CDK_LINES: 'tick',
      FAKE_CDK_LOOP: '1',
      FAKE_CDK_INTERVAL_MS: '50',
    });
    // Like `cred-supervisor watch | tee log` when tee dies: the read ends of its pipes close.
    session.process.stdout?.destroy();
    session.process.stderr?.destroy();
    const exit = await session.waitForExit();
    expect(exit.code).toBe(129);
    expectGone(family);
    expect(session.logEntries()).toContainEqual(
      expect.objectContaining({ event: 'output-closed', code: 'EPIPE' }),
    );
  });
});

describe('watch: the supervisor is SIGKILLed', () => {
  it("its watchdog kills the child's group within 5 s", async () => {
    const { session, family } = await startFamily(['--stop-grace', '1s']);
    await waitForWatchdog(session);
    session.kill('SIGKILL');
    expect((await session.waitForExit()).signal).toBe('SIGKILL');
    await waitUntil(
      () => !isAlive(family.pid) && !isAlive(family.grandchildPid),
      'the orphaned group to be killed by the watchdog',
      5000,
    );
  });

  it('its watchdog removes the tmux segment files, which would go on showing it running', async () => {
    const { session } = await startFamily(['--stop-grace', '1s']);
    await waitForWatchdog(session);
    const segments = ['status-segment', 'status-segment-ascii'].map((name) =>
      path.join(project.stateDir, name),
    );
    expect(await readFile(segments[0]!, 'utf8')).toMatch(/\d+m/); // the countdown
    session.kill('SIGKILL');
    expect((await session.waitForExit()).signal).toBe('SIGKILL');
    await waitUntil(
      () => segments.every((file) => !existsSync(file)),
      'the segment files to be removed',
      5000,
    );
  });
});

/** The watchdog is armed right after the spawn; the `running` status line comes after it. */
async function waitForWatchdog(session: WatchSession): Promise<void> {
  await session.waitForStatus((s) => s.state === 'running', 'running');
}
