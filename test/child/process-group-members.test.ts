import { describe, expect, it, onTestFinished } from 'vitest';
import {
  getOwnProcessGroupId,
  listProcessGroupMembers,
  parseProcStat,
  parsePsLine,
} from '../../src/child/process-group-members.js';
import { isProcessGroupGone } from '../../src/child/process-liveness.js';
import { spawnChild } from '../../src/child/spawn-child.js';
import { collectingSink, FAKE_CDK, fixtureEnv, psProcessGroup, waitFor } from './helpers.js';

describe('parsers', () => {
  it('reads pid, state and group from /proc/<pid>/stat, even with ") " in the command name', () => {
    expect(parseProcStat('4242 (node) S 1 4240 4240 0 -1 4194560')).toEqual({
      pid: 4242,
      pgid: 4240,
      state: 'S',
    });
    expect(parseProcStat('77 (we (ird) ) Z 1 70 70 0')).toEqual({ pid: 77, pgid: 70, state: 'Z' });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads a line of ps output', () => {
    expect(parsePsLine('  812   800 Ss   node /x/cdk watch --hotswap-fallback')).toEqual({
      pid: 812,
      pgid: 800,
      state: 'S',
      command: 'node /x/cdk watch --hotswap-fallback',
    });
    expect(parsePsLine('   90    90 Z')).toEqual({ pid: 90, pgid: 90, state: 'Z', command: '' });
    expect(parsePsLine('')).toBeUndefined();
  });
});

describe('the real process table', () => {
  it('knows our own process group, as ps does', () => {
    expect(getOwnProcessGroupId()).toBe(psProcessGroup(process.pid));
  });

  it('lists a child group with its grandchild, with their command lines', async () => {
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
      await waitFor(() => isProcessGroupGone(child.pgid), 'the group to be gone');
    });
    await waitFor(() => stderr.text().includes('READY'), 'the fake cdk to be ready');
    const grandchild = Number(/GRANDCHILD_PID=(\d+)/.exec(stderr.text())?.[1]);

    const members = listProcessGroupMembers(child.pgid) ?? [];
    expect(members.map((m) => m.pid).sort()).toEqual([child.pid, grandchild].sort());
    expect(members.find((m) => m.pid === child.pid)?.command).toContain('fake-cdk.mjs watch');
    for (const member of members) expect(psProcessGroup(member.pid)).toBe(child.pgid);
  });
});
