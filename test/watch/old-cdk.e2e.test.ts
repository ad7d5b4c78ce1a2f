// A CDK CLI before 2.172 never asks for credentials again once it has them: rotations through the
// endpoint would never reach it. Through the built CLI, with a fixture `cdk` that reports 2.150.0.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NO_PROBES, startWatch, useWatchProject } from '../support/watch-session.js';

const OLD_CDK = fileURLToPath(new URL('../fixtures/old-cdk/cdk', import.meta.url));

const ctx = useWatchProject();

describe('watch with a CDK CLI before 2.172', () => {
  it('says once that it rotates by restart, and restarts the command when fresh credentials come', async () => {
    await ctx.project.writeCredentials(ctx.sts.issueKey());
    const session = startWatch(ctx.project, {
      args: ['--check-schedule', NO_PROBES],
      command: [OLD_CDK, 'watch'],
      env: { FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    await session.waitForOutput(/FAKE_READY/);
    const before = await session.waitForStatus((s) => s.state === 'running', 'running');
    expect(session.output).toMatch(/CDK CLI 2\.150\.0 resolves credentials once/);

    const fresh = ctx.sts.issueKey();
    await ctx.project.writeCredentials(fresh, { atomic: true });
    const after = await session.waitForStatus(
      (s) => s.state === 'running' && s.child.restarts === 1,
      'running again after one restart',
    );
    expect(after.child.pid).not.toBe(before.child.pid);
    expect(after.credentials.expiresAt).toBe(fresh.expiration?.toISOString());
    expect(session.output.match(/resolves credentials once/g)).toHaveLength(1);
  });
});
