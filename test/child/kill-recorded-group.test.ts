import { afterEach, describe, expect, it } from 'vitest';
import { killRecordedGroup } from '../../src/child/kill-recorded-group.js';
import { spawnChild } from '../../src/child/spawn-child.js';
import { identifyGroupLeader } from '../../src/process/group-identity.js';
import { getOwnProcessGroupId, isProcessGone, isProcessGroupGone } from '../../src/process/liveness.js';
import { processTable } from '../../src/process/process-table.js';
import { waitUntil } from '../support/wait-until.js';
import { collectingSink, FAKE_CDK, fixtureEnv, processJanitor } from './helpers.js';

const janitor = processJanitor();
afterEach(() => janitor.cleanUp());

/** A fake CDK whose supervisor "died": we keep its pgid and leader identity, as the state file does. */
async function orphanGroup(env: Record<string, string> = {}, table = processTable()) {
  const stderr = collectingSink();
  const child = await spawnChild({
    file: FAKE_CDK,
    args: ['watch'],
    env: fixtureEnv({ FAKE_CDK_READY_MARKER: 'READY', FAKE_CDK_GRANDCHILD: '1', ...env }),
    stdout: collectingSink().sink,
    stderr: stderr.sink,
  });
  janitor.group(child.pgid);
  const recorded = identifyGroupLeader(child.pgid, [FAKE_CDK, 'watch'], table);
  await waitUntil(() => stderr.text().includes('READY'), 'the fake cdk to be ready');
  const grandchild = Number(/GRANDCHILD_PID=(\d+)/.exec(stderr.text())?.[1]);
  janitor.pid(grandchild);
  return { pgid: child.pgid, pid: child.pid, grandchild, recorded };
}

describe.each(['proc', 'ps'] as const)('killRecordedGroup (process table: %s)', (backend) => {
  const table = processTable(backend);

  it('stops a recorded group whose leader is still the recorded child, grandchildren included', async () => {
    const { pgid, grandchild, recorded } = await orphanGroup({ FAKE_CDK_IGNORE_SIGNALS: 'SIGTERM' }, table);
    const result = await killRecordedGroup(pgid, recorded, { terminateGraceMs: 200, table });

    expect(result).toMatchObject({
      outcome: 'stopped',
      stop: { signalsSent: ['SIGTERM', 'SIGKILL'], forced: true, groupEmpty: true },
    });
    await waitUntil(() => isProcessGone(grandchild), 'the grandchild to be gone', 5000);
  });

  it('never signals a group whose id now belongs to another process (other start time or command)', async () => {
    const { pgid, recorded } = await orphanGroup({}, table);
    for (const reused of [
      { ...recorded!, startTime: 'another start time' },
      { ...recorded!, command: '/opt/some/other/cdk watch' },
    ]) {
      const result = await killRecordedGroup(pgid, reused, { table });
      expect(result).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('reused') });
    }
    expect(isProcessGroupGone(pgid)).toBe(false);
  });

  it('leaves a group alone when its leader is gone: nothing proves the rest ours', async () => {
    const { pgid, pid, grandchild, recorded } = await orphanGroup({}, table);
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => isProcessGone(pid), 'the leader to be gone');

    const result = await killRecordedGroup(pgid, recorded, { table });
    expect(result).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('leader') });
    expect(isProcessGone(grandchild)).toBe(false);
  });

  it('leaves a group alone that was recorded without an identity (an older record)', async () => {
    const { pgid } = await orphanGroup({}, table);
    expect(await killRecordedGroup(pgid, null, { table })).toMatchObject({ outcome: 'refused' });
    expect(isProcessGroupGone(pgid)).toBe(false);
  });

  it('does nothing for a group that is gone', async () => {
    const { pgid, recorded } = await orphanGroup({}, table);
    process.kill(-pgid, 'SIGKILL');
    await waitUntil(() => isProcessGroupGone(pgid), 'the group to be gone');

    expect(await killRecordedGroup(pgid, recorded, { table })).toEqual({ outcome: 'not-running' });
  });
});

describe('killRecordedGroup guards', () => {
  it('never signals pgid <= 1 or our own group', async () => {
    for (const pgid of [1, 0, -1, Number.NaN]) {
      expect(await killRecordedGroup(pgid, null)).toMatchObject({ outcome: 'refused' });
    }
    const own = getOwnProcessGroupId()!;
    expect(await killRecordedGroup(own, identifyGroupLeader(own, process.argv))).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining("cred-supervisor's own group"),
    });
  });
});
