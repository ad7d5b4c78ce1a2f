import { afterEach, describe, expect, it } from 'vitest';
import { killRecordedGroup } from '../../src/child/kill-recorded-group.js';
import { getOwnProcessGroupId } from '../../src/child/process-group-members.js';
import { isProcessGone, isProcessGroupGone } from '../../src/child/process-liveness.js';
import { spawnChild } from '../../src/child/spawn-child.js';
import { collectingSink, FAKE_CDK, fixtureEnv, processJanitor, waitFor } from './helpers.js';

const janitor = processJanitor();
afterEach(() => janitor.cleanUp());

/** A fake CDK whose supervisor "died": we keep only its pgid, as a state file would. */
async function orphanGroup(env: Record<string, string> = {}) {
  const stderr = collectingSink();
  const child = await spawnChild({
    file: FAKE_CDK,
    args: ['watch'],
    env: fixtureEnv({ FAKE_CDK_READY_MARKER: 'READY', FAKE_CDK_GRANDCHILD: '1', ...env }),
    stdout: collectingSink().sink,
    stderr: stderr.sink,
  });
  janitor.group(child.pgid);
  await waitFor(() => stderr.text().includes('READY'), 'the fake cdk to be ready');
  const grandchild = Number(/GRANDCHILD_PID=(\d+)/.exec(stderr.text())?.[1]);
  return { pgid: child.pgid, grandchild };
}

describe('killRecordedGroup', () => {
  it('stops a recorded group that still runs the recorded command, grandchildren included', async () => {
    const { pgid, grandchild } = await orphanGroup({ FAKE_CDK_IGNORE_SIGNALS: 'SIGTERM' });
    const result = await killRecordedGroup(pgid, { expectCommand: 'fake-cdk.mjs', terminateGraceMs: 200 });

    expect(result).toMatchObject({
      outcome: 'stopped',
      stop: { signalsSent: ['SIGTERM', 'SIGKILL'], forced: true, groupEmpty: true },
    });
    await waitFor(() => isProcessGone(grandchild), 'the grandchild to be gone', 5000);
  });

  it('leaves a group alone when its id now runs something else', async () => {
    const { pgid } = await orphanGroup();
    const result = await killRecordedGroup(pgid, { expectCommand: '/opt/some/other/cdk' });

    expect(result).toEqual({
      outcome: 'refused',
      reason: `process group ${pgid} no longer runs \`/opt/some/other/cdk\` (its id was reused by another program).`,
    });
    expect(isProcessGroupGone(pgid)).toBe(false);
  });

  it('does nothing for a group that is gone', async () => {
    const { pgid } = await orphanGroup();
    process.kill(-pgid, 'SIGKILL');
    await waitFor(() => isProcessGroupGone(pgid), 'the group to be gone');

    expect(await killRecordedGroup(pgid, { expectCommand: 'fake-cdk.mjs' })).toEqual({
      outcome: 'not-running',
    });
  });

  it('never signals pgid <= 1 or our own group', async () => {
    for (const pgid of [1, 0, -1, Number.NaN]) {
      expect(await killRecordedGroup(pgid)).toMatchObject({ outcome: 'refused' });
    }
    expect(await killRecordedGroup(getOwnProcessGroupId()!)).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining("cred-supervisor's own group"),
    });
  });

  it('refuses when the members cannot be listed to check them', async () => {
    const { pgid } = await orphanGroup();
    expect(
      await killRecordedGroup(pgid, { expectCommand: 'fake-cdk.mjs', listMembers: () => undefined }),
    ).toMatchObject({
      outcome: 'refused',
    });
    expect(isProcessGroupGone(pgid)).toBe(false);
  });
});
