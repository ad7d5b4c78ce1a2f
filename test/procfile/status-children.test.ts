import { describe, expect, it } from 'vitest';
import {
  formatStatusHuman,
  formatStatusTmux,
  initialStatus,
  type StatusSnapshot,
  statusSnapshotSchema,
  toStatusJson,
} from '../../src/control/status.js';

const now = new Date('2026-01-01T12:00:00Z');
const snapshot: StatusSnapshot = {
  ...initialStatus(42),
  state: 'running',
  children: [
    { name: 'cdk', pid: 100, pgid: 100, state: 'running', restarts: 0, startedAt: '2026-01-01T11:58:00Z' },
    { name: 'logs', pid: null, pgid: null, state: 'fatal', restarts: 5, startedAt: null },
  ],
};

describe('status with several children', () => {
  it('--json keeps the one-process shape and adds children in declaration order, schema-valid', () => {
    const json = toStatusJson({ ...snapshot, extra: 'not shown' } as StatusSnapshot);
    expect(Object.keys(json)).toEqual([
      'state',
      'pid',
      'child',
      'credentials',
      'lastError',
      'sso',
      'children',
    ]);
    expect(json.children).toEqual(snapshot.children);
    expect(statusSnapshotSchema.safeParse(json).success).toBe(true);
    expect(Object.keys(toStatusJson(initialStatus(1)))).not.toContain('children');
  });

  it('the human answer has a line per child', () => {
    const text = formatStatusHuman(snapshot, now);
    expect(text).toContain('  cdk  running pid 100 pgid 100, up 2m, restarted 0 times');
    expect(text).toContain('  logs fatal, restarted 5 times');
  });

  it('the tmux segment counts the running children', () => {
    expect(formatStatusTmux(snapshot, now, { ascii: true })).toMatch(/ 1\/2$/);
    expect(formatStatusTmux(initialStatus(1), now, { ascii: true })).not.toMatch(/\//);
  });
});
