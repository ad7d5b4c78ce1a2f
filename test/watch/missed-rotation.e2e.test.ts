// A client that fetched credentials from the endpoint once and never asks again still signs with the
// old key after a rotation. Just before that key expires it must be restarted, not left to fail.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NO_PROBES, SDK_CHILD, startWatch, useWatchProject, waitUntil } from '../support/watch-session.js';

const FETCH_ONCE = fileURLToPath(new URL('../fixtures/fetch-once.mjs', import.meta.url));

const ctx = useWatchProject();

describe('watch: a child that never asks again after a rotation', () => {
  it('is restarted before the old credentials expire, and fetches the new ones', async () => {
    // 70 s: the rotation comes with less than the restart lead (60 s) + 10 s left.
    const old = ctx.sts.issueKey({ ttlMs: 70_000 });
    await ctx.project.writeCredentials(old);
    const session = startWatch(ctx.project, {
      args: ['--check-schedule', NO_PROBES, '--refresh-before', '5s'],
      command: [FETCH_ONCE],
    });
    await session.waitForOutput(
      new RegExp(`FETCHED key=${old.accessKeyId.slice(0, 4)}…${old.accessKeyId.slice(-4)}`),
    );
    const before = await session.waitForStatus((s) => s.state === 'running', 'running');

    const fresh = ctx.sts.issueKey();
    const mark = session.mark();
    await ctx.project.writeCredentials(fresh, { atomic: true });
    await session.waitForOutput(/never asked for the credentials that replaced/, {
      from: mark,
      timeoutMs: 20_000,
    });
    const after = await session.waitForStatus(
      (s) => s.state === 'running' && s.child.restarts === 1,
      'running again after one restart',
    );
    expect(after.child.pid).not.toBe(before.child.pid);
    await session.waitForOutput(
      new RegExp(`FETCHED key=${fresh.accessKeyId.slice(0, 4)}…${fresh.accessKeyId.slice(-4)}`),
      {
        from: mark,
      },
    );
  });

  it('an SDK child that keeps asking is served the new key and never restarted', async () => {
    const old = ctx.sts.issueKey({ ttlMs: 70_000 });
    await ctx.project.writeCredentials(old);
    const session = startWatch(ctx.project, {
      args: ['--check-schedule', NO_PROBES, '--refresh-before', '5s'],
      command: [SDK_CHILD],
      env: { CRED_SUPERVISOR_LEASE_MS: '500', SDK_CHILD_INTERVAL_MS: '200' },
    });
    await session.waitForOutput(/CALL ok/);
    const fresh = ctx.sts.issueKey();
    const mark = session.mark();
    const rotatedAt = Date.now();
    await ctx.project.writeCredentials(fresh, { atomic: true });
    const masked = `${fresh.accessKeyId.slice(0, 4)}…${fresh.accessKeyId.slice(-4)}`;
    await session.waitForOutput(new RegExp(`CALL ok .*key=${masked}`), { from: mark });
    // The missed-rotation check runs at most 5 s after the rotation here (the old key has 70 s).
    await waitUntil(() => Date.now() > rotatedAt + 6000, 'the missed-rotation check to have run', 10_000);
    await session.waitForOutput(new RegExp(`CALL ok .*key=${masked}`), { from: session.mark() });
    const status = await session.status();
    expect(status.child.restarts).toBe(0);
    expect(session.output).not.toMatch(/never asked for the credentials/);
  });
});
