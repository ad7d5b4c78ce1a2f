import { describe, expect, it, onTestFinished } from 'vitest';
import { spawnChild } from '../../src/child/spawn-child.js';
import { identifyGroupLeader, proveGroupOurs } from '../../src/process/group-identity.js';
import {
  getOwnProcessGroupId,
  isProcessGroupGone,
  listProcessGroupMembers,
  processStartTime,
} from '../../src/process/liveness.js';
import {
  chooseBackend,
  PROCESS_TABLE_VARIABLE,
  parseProcStat,
  parsePsLine,
  processTable,
} from '../../src/process/process-table.js';
import { collectingSink, FAKE_CDK, fixtureEnv, psProcessGroup } from '../child/helpers.js';
import { waitUntil } from '../support/wait-until.js';

describe('parsers', () => {
  it('reads pid, state, group and start time from /proc/<pid>/stat, even with ") " in the name', () => {
    const tail = '0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 98765 1000 10';
    expect(parseProcStat(`4242 (node) S 1 4240 4240 ${tail}`)).toEqual({
      pid: 4242,
      pgid: 4240,
      state: 'S',
      startTime: '98765',
    });
    expect(parseProcStat(`77 (we (ird) ) Z 1 70 70 ${tail}`)).toMatchObject({
      pid: 77,
      pgid: 70,
      state: 'Z',
    });
    expect(parseProcStat('4242 (node) S 1 4240 4240 0')).toBeUndefined();
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads a line of ps output, start time and all', () => {
    expect(
      parsePsLine('  812   800 Ss   Fri Dec  4 22:56:37 2026 node /x/cdk watch --hotswap-fallback'),
    ).toEqual({
      pid: 812,
      pgid: 800,
      state: 'S',
      startTime: 'Fri Dec 4 22:56:37 2026',
      command: 'node /x/cdk watch --hotswap-fallback',
    });
    expect(parsePsLine('   90    90 Z    Mon Jan 12 01:02:03 2026')).toMatchObject({ pid: 90, command: '' });
    expect(parsePsLine('')).toBeUndefined();
  });

  it('uses /proc where present unless the test switch asks for ps', () => {
    expect(chooseBackend({ [PROCESS_TABLE_VARIABLE]: 'ps' })).toBe('ps');
    expect(chooseBackend({})).toBe(process.platform === 'linux' ? 'proc' : 'ps');
  });
});

async function fakeCdkGroup() {
  const stderr = collectingSink();
  const child = await spawnChild({
    file: FAKE_CDK,
    args: ['watch'],
    env: fixtureEnv({ FAKE_CDK_GRANDCHILD: '1', FAKE_CDK_READY_MARKER: 'READY' }),
    stdout: collectingSink().sink,
    stderr: stderr.sink,
  });
  onTestFinished(async () => {
    process.kill(-child.pgid, 'SIGKILL');
    await waitUntil(() => isProcessGroupGone(child.pgid), 'the group to be gone');
  });
  await waitUntil(() => stderr.text().includes('READY'), 'the fake cdk to be ready');
  const grandchild = Number(/GRANDCHILD_PID=(\d+)/.exec(stderr.text())?.[1]);
  return { child, grandchild };
}

// Both backends run here on Linux: the ps one is what macOS and the BSDs use.
describe.each(['proc', 'ps'] as const)('the real process table through %s', (backend) => {
  const table = processTable(backend);

  it('knows our own process group, as ps does', () => {
    expect(getOwnProcessGroupId(table)).toBe(psProcessGroup(process.pid));
  });

  it('lists a child group with its grandchild, with their command lines', async () => {
    const { child, grandchild } = await fakeCdkGroup();
    const members = listProcessGroupMembers(child.pgid, { table }) ?? [];
    expect(members.map((m) => m.pid).sort()).toEqual([child.pid, grandchild].sort());
    expect(members.find((m) => m.pid === child.pid)?.command).toContain('fake-cdk.mjs watch');
    for (const member of members) expect(psProcessGroup(member.pid)).toBe(child.pgid);
  });

  it('tells the recorded leader from a process that only shares its group id', async () => {
    const { child } = await fakeCdkGroup();
    const recorded = identifyGroupLeader(child.pgid, [FAKE_CDK, 'watch'], table);
    expect(recorded?.command).toContain('fake-cdk.mjs watch');
    expect(recorded?.startTime).toBe(processStartTime(child.pid, table));
    expect(proveGroupOurs(child.pgid, recorded, table)).toEqual({ ours: true });
    // What a reused id looks like: same number, another start time or another command line.
    expect(proveGroupOurs(child.pgid, { ...recorded!, startTime: 'earlier' }, table)).toMatchObject({
      ours: false,
    });
    expect(
      proveGroupOurs(child.pgid, { ...recorded!, command: '/opt/other/cdk watch' }, table),
    ).toMatchObject({ ours: false });
    expect(proveGroupOurs(child.pgid, null, table)).toMatchObject({ ours: false });
  });
});
