// STS unreachable when watch starts says nothing about the credentials: the supervisor is still
// starting (no prompt asking for credentials), `status` says what is retried, and once STS answers the
// child runs and `lastError` is cleared. Legacy credential variable names in the person's shell never
// reach an endpoint child. Through the built CLI.
import { describe, expect, it } from 'vitest';
import { NO_PROBES, startWatch, useWatchProject } from '../support/watch-session.js';

const ctx = useWatchProject();

describe('watch with STS down at start', () => {
  it('is starting with a network lastError, no credentials prompt; running with lastError cleared once STS is back', async () => {
    await ctx.project.writeCredentials(ctx.sts.issueKey());
    await ctx.sts.goDown();
    const session = startWatch(ctx.project, {
      args: ['--check-schedule', NO_PROBES],
      env: {
        FAKE_CDK_PRINT_ENV: 'AWS_ACCESS_KEY,AWS_SECRET_KEY',
        AWS_ACCESS_KEY: 'AKIAOLDNAMEEXAMPLE00',
        AWS_SECRET_KEY: 'legacy-name-secret-value',
      },
    });
    const down = await session.waitForStatus((s) => s.lastError !== null, 'a lastError', 15_000);
    expect(down.state).toBe('starting');
    expect(down.lastError).toMatch(/^STS could not be reached \(ECONNREFUSED\).* Retrying\.$/);
    expect(session.output).not.toMatch(/credentials needed|waiting-for-credentials/);

    await ctx.sts.comeBack();
    const up = await session.waitForStatus((s) => s.state === 'running', 'running once STS is back', 20_000);
    expect(up.lastError).toBeNull();
    await session.waitForOutput(/AWS_SECRET_KEY is unset/);
    expect(session.output).toContain('AWS_ACCESS_KEY is unset');
    expect(session.output).not.toContain('legacy-name-secret-value');
  });
});
