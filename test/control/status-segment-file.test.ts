import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StatusSnapshot } from '../../src/control/status.js';
import { statusSegmentPath } from '../../src/control/status-segment.js';
import { keepStatusSegment, msUntilSegmentChanges } from '../../src/control/status-segment-file.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function running(expiresInMs: number | null, state: StatusSnapshot['state'] = 'running'): StatusSnapshot {
  return {
    state,
    pid: 4242,
    child: { pid: 5151, restarts: 0, startedAt: NOW.toISOString() },
    credentials: {
      account: '123456789012',
      arn: null,
      expiresAt: expiresInMs === null ? null : new Date(NOW.getTime() + expiresInMs).toISOString(),
      source: 'file',
    },
    lastError: null,
  };
}

describe('msUntilSegmentChanges', () => {
  it('is the time until the shown minute changes, then 5 s steps in the last minute', () => {
    expect(msUntilSegmentChanges(running(42 * 60_000 + 17_000), NOW)).toBe(17_001);
    expect(msUntilSegmentChanges(running(42 * 60_000), NOW)).toBe(1);
    expect(msUntilSegmentChanges(running(65 * 60_000 + 1), NOW)).toBe(2);
    expect(msUntilSegmentChanges(running(37_000), NOW)).toBe(2001);
    expect(msUntilSegmentChanges(running(60_000), NOW)).toBe(1);
  });

  it('is null when no countdown is shown', () => {
    expect(msUntilSegmentChanges(running(null), NOW)).toBeNull();
    expect(msUntilSegmentChanges(running(-1), NOW)).toBeNull();
    expect(msUntilSegmentChanges(running(600_000, 'waiting-for-credentials'), NOW)).toBeNull();
  });
});

describe('keepStatusSegment', () => {
  let dir: string;
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes both segments now, again as the minute turns and on update, and removes them on close', () => {
    vi.useFakeTimers({ now: NOW });
    dir = mkdtempSync(path.join(os.tmpdir(), 'status-segment-'));
    let snapshot = running(42 * 60_000 + 30_000);
    const segment = keepStatusSegment(dir, () => snapshot);
    const read = (style: 'tmux' | 'tmux-ascii') => readFileSync(statusSegmentPath(dir, style), 'utf8');
    expect(read('tmux')).toBe('☁ 1234…9012 42m\n');
    expect(read('tmux-ascii')).toBe('aws 1234..9012 42m\n');

    vi.advanceTimersByTime(30_000);
    expect(read('tmux')).toBe('☁ 1234…9012 42m\n');
    vi.advanceTimersByTime(1);
    expect(read('tmux')).toBe('☁ 1234…9012 41m\n');
    vi.advanceTimersByTime(60_000);
    expect(read('tmux')).toBe('☁ 1234…9012 40m\n');

    snapshot = running(null, 'waiting-for-credentials');
    segment.update();
    expect(read('tmux')).toBe('⚠ creds!\n');

    segment.close();
    expect(existsSync(statusSegmentPath(dir, 'tmux'))).toBe(false);
    expect(existsSync(statusSegmentPath(dir, 'tmux-ascii'))).toBe(false);
  });
});
