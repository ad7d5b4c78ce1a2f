import { afterEach, describe, expect, it } from 'vitest';
import { type ChildHandle, spawnChild } from '../../src/child/spawn-child.js';
import { type StopDeps, type StopSignal, stopProcessGroup } from '../../src/child/stop-process-group.js';
import { getOwnProcessGroupId, isProcessGone, isProcessGroupGone } from '../../src/process/liveness.js';
import { waitUntil } from '../support/wait-until.js';
import { collectingSink, FAKE_CDK, fixtureEnv, processJanitor } from './helpers.js';

const janitor = processJanitor();
afterEach(() => janitor.cleanUp());

/** Starts the fake CDK and waits until it has said it is ready (handlers in, grandchildren up). */
async function startFakeCdk(
  env: Record<string, string>,
): Promise<{ child: ChildHandle; output: () => string }> {
  const stderr = collectingSink();
  const child = await spawnChild({
    file: FAKE_CDK,
    args: ['watch'],
    env: fixtureEnv({ FAKE_CDK_READY_MARKER: 'READY', ...env }),
    stdout: collectingSink().sink,
    stderr: stderr.sink,
  });
  janitor.group(child.pgid);
  await waitUntil(() => stderr.text().includes('READY\n'), 'the fake cdk to be ready');
  return { child, output: stderr.text };
}

function reportedPid(output: string, name: string): number {
  const match = new RegExp(`${name}=(\\d+)`).exec(output);
  if (!match) throw new Error(`Expected the fake cdk to print ${name}=<pid>, got: ${output}`);
  return Number(match[1]);
}

describe('stopProcessGroup on real processes', () => {
  it('stops a child that obeys SIGINT with SIGINT alone', async () => {
    const { child, output } = await startFakeCdk({});
    const result = await stopProcessGroup(child.pgid, { graceMs: 5000 });

    expect(result).toMatchObject({ signalsSent: ['SIGINT'], forced: false, groupEmpty: true });
    expect(await child.exited).toMatchObject({ exitCode: 130, signal: null });
    expect(output()).toContain('FAKE_CDK_SIGNAL=SIGINT');
    expect(isProcessGroupGone(child.pgid)).toBe(true);
  });

  it('escalates to SIGKILL after the grace when SIGINT and SIGTERM are ignored', async () => {
    const { child, output } = await startFakeCdk({ FAKE_CDK_IGNORE_SIGNALS: 'SIGINT,SIGTERM' });
    const sent: StopSignal[] = [];
    const result = await stopProcessGroup(child.pgid, {
      graceMs: 300,
      terminateGraceMs: 300,
      onSignal: (signal) => sent.push(signal),
    });

    expect(result).toMatchObject({
      signalsSent: ['SIGINT', 'SIGTERM', 'SIGKILL'],
      forced: true,
      groupEmpty: true,
    });
    expect(sent).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
    expect(output()).toContain('FAKE_CDK_SIGNAL=SIGINT ignored');
    expect(output()).toContain('FAKE_CDK_SIGNAL=SIGTERM ignored');
    expect(await child.exited).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  });

  it('keeps going after the leader exits until the grandchild in its group is gone too', async () => {
    // The leader exits on SIGINT at once, like the CDK CLI; its "CDK app" ignores SIGINT.
    const { child, output } = await startFakeCdk({
      FAKE_CDK_GRANDCHILD: '1',
      FAKE_CDK_GRANDCHILD_IGNORE_SIGNALS: 'SIGINT',
    });
    const grandchild = reportedPid(output(), 'GRANDCHILD_PID');
    expect(isProcessGone(grandchild)).toBe(false);

    const result = await stopProcessGroup(child.pgid, { graceMs: 300 });

    expect(result).toMatchObject({ signalsSent: ['SIGINT', 'SIGTERM'], forced: false, groupEmpty: true });
    expect(await child.exited).toMatchObject({ exitCode: 130, signal: null });
    await waitUntil(() => isProcessGone(grandchild), `grandchild ${grandchild} to be gone`, 5000);
  });

  it('cannot reach a grandchild that left the group with setsid (documented limit)', async () => {
    const { child, output } = await startFakeCdk({ FAKE_CDK_ESCAPE_GRANDCHILD: '1' });
    const escaped = reportedPid(output(), 'ESCAPED_PID');
    janitor.pid(escaped);

    const result = await stopProcessGroup(child.pgid, { graceMs: 2000 });

    expect(result.groupEmpty).toBe(true);
    expect(isProcessGone(escaped)).toBe(false);
  });

  it('skips the rest of the grace and SIGKILLs at once when forced (second Ctrl+C)', async () => {
    const { child } = await startFakeCdk({ FAKE_CDK_IGNORE_SIGNALS: 'SIGINT,SIGTERM' });
    const force = new AbortController();
    const stopping = stopProcessGroup(child.pgid, {
      graceMs: 60_000,
      onSignal: (signal) => {
        if (signal === 'SIGINT') setTimeout(() => force.abort(), 50);
      },
      force: force.signal,
    });
    const result = await stopping;

    expect(result).toMatchObject({ signalsSent: ['SIGINT', 'SIGKILL'], forced: true, groupEmpty: true });
    expect(result.durationMs).toBeLessThan(30_000);
  });

  it('sends nothing to a group that is already gone', async () => {
    const { child } = await startFakeCdk({});
    process.kill(-child.pgid, 'SIGKILL');
    await child.exited;
    await waitUntil(() => isProcessGroupGone(child.pgid), 'the group to be gone');

    expect(await stopProcessGroup(child.pgid)).toMatchObject({
      signalsSent: [],
      forced: false,
      groupEmpty: true,
    });
  });

  it('refuses to signal pgid 0, 1, negative or fractional ids, and its own group', async () => {
    for (const pgid of [0, 1, -4, 2.5, Number.NaN]) {
      await expect(stopProcessGroup(pgid)).rejects.toThrow(
        /Expected a process group id to be an integer greater than 1/,
      );
    }
    const own = getOwnProcessGroupId();
    expect(own).toBeDefined();
    await expect(stopProcessGroup(own!)).rejects.toThrow(/own group/);
  });
});

/** A group that leaves after a given signal, on a virtual clock. */
function simulatedGroup(leavesAfter: StopSignal | 'never') {
  let clock = 0;
  let gone = false;
  const signals: { signal: StopSignal; at: number }[] = [];
  const deps: StopDeps = {
    signalGroup: (_pgid, signal) => {
      signals.push({ signal, at: clock });
      if (signal === leavesAfter) gone = true;
    },
    isGroupGone: () => gone,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    ownGroupId: () => 1,
  };
  return { deps, signals };
}

describe('stopProcessGroup escalation timing (virtual clock)', () => {
  it('waits the full grace after SIGINT and the terminate grace after SIGTERM', async () => {
    const group = simulatedGroup('SIGTERM');
    const result = await stopProcessGroup(4242, { graceMs: 5000, terminateGraceMs: 800, deps: group.deps });

    expect(group.signals).toEqual([
      { signal: 'SIGINT', at: 0 },
      { signal: 'SIGTERM', at: 5000 },
    ]);
    expect(result).toEqual({
      signalsSent: ['SIGINT', 'SIGTERM'],
      forced: false,
      groupEmpty: true,
      durationMs: 5000,
    });
  });

  it('repeats SIGKILL while the group lingers, then reports it as not empty', async () => {
    const group = simulatedGroup('never');
    const result = await stopProcessGroup(4242, {
      graceMs: 100,
      terminateGraceMs: 100,
      killWaitMs: 1000,
      killRepeatMs: 250,
      deps: group.deps,
    });

    const kills = group.signals.filter((entry) => entry.signal === 'SIGKILL');
    expect(kills.map((entry) => entry.at)).toEqual([200, 450, 700, 950]);
    expect(result).toEqual({
      signalsSent: ['SIGINT', 'SIGTERM', 'SIGKILL'],
      forced: true,
      groupEmpty: false,
      durationMs: 1200,
    });
  });

  it('treats ESRCH from a signal as "already gone"', async () => {
    const group = simulatedGroup('never');
    const deps: StopDeps = {
      ...group.deps,
      signalGroup: () => {
        throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      },
    };
    expect(await stopProcessGroup(4242, { deps })).toEqual({
      signalsSent: [],
      forced: false,
      groupEmpty: true,
      durationMs: 0,
    });
  });

  it('rejects a negative grace with a message naming the signal and the value', async () => {
    const group = simulatedGroup('SIGINT');
    await expect(stopProcessGroup(4242, { graceMs: -1, deps: group.deps })).rejects.toThrow(
      /wait after SIGINT to be a non-negative number of milliseconds, got `-1`/,
    );
  });
});
