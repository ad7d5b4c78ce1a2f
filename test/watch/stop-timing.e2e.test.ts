// Stop timing with the defaults (docs/usage.md, `--stop-before`): --refresh-before 10m only starts
// refreshing and warns, the child keeps running; it is stopped --stop-before (1m) before expiry when
// nothing fresher came. Through the built CLI, in real time: the first test waits ~20 s for the stop.
import { describe, expect, it } from 'vitest';
import { NO_PROBES, startWatch, useWatchProject } from '../support/watch-session.js';

const ctx = useWatchProject();

/** Watch with the default timing, on credentials that expire `ttlMs` from now, until the child runs. */
async function runningOn(ttlMs: number) {
  const key = ctx.sts.issueKey({ ttlMs });
  await ctx.project.writeCredentials(key);
  const session = startWatch(ctx.project, {
    args: ['--check-schedule', NO_PROBES],
    env: { FAKE_CDK_READY_MARKER: 'FAKE_READY' },
  });
  await session.waitForOutput(/FAKE_READY/, { timeoutMs: 20_000 });
  const status = await session.waitForStatus((s) => s.state === 'running', 'running');
  expect(status.credentials.expiresAt).toBe(key.expiration?.toISOString());
  return { session, status, expiresAt: key.expiration?.getTime() ?? Number.NaN };
}

describe('watch stop timing with the default --refresh-before 10m and --stop-before 1m', () => {
  it('runs the child on credentials with 80 s left and stops it within the last minute before expiry', async () => {
    // Within --refresh-before from the start: warned, refreshing, and still running. The old rule
    // (stop at --refresh-before) would have stopped it at once, 80 s before expiry.
    const { session, expiresAt } = await runningOn(80_000);

    await session.waitForOutput(/FAKE_CDK_SIGNAL=SIGINT/, { timeoutMs: 80_000 });
    const left = expiresAt - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(session.output).toMatch(/expire/i); // the --refresh-before warning
    await session.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting for credentials');
  }, 100_000);

  it('accepts credentials with 5 minutes left (more than --stop-before) and runs the child', async () => {
    const { session, status } = await runningOn(5 * 60_000);
    expect(status.child.pid).not.toBeNull();
    expect(session.output).not.toMatch(/credentials needed/);
  });
});
