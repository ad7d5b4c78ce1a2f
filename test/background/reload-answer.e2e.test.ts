/**
 * Every reload is answered: `cred-supervisor reload` prints the verdict (unchanged, fresh, rejected and
 * why) and so does the `r` key on the supervisor's terminal. Real tmux, built CLI, fake STS.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/built-cli.js';
import { envLines } from '../support/sandbox.js';
import { waitForValue } from '../support/wait-until.js';
import { shellLine, useTmuxSandbox } from './tmux-pane.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));

const env = useTmuxSandbox();

const shows = (pattern: RegExp) => async () =>
  pattern.test(await env.server.screen({ history: true })) ? true : undefined;

describe('reload always answers', () => {
  it('unchanged, fresh, rejected: from `reload` and from the r key', async () => {
    const { sts, sandbox, server } = env;
    await sandbox.writeCredentials(envLines(sts.issueKey()));
    await server.start(shellLine([process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch']), sandbox.dir);
    await waitForValue(shows(/\] running/), 'running', 20_000);

    const unchanged = await sandbox.run(['reload']);
    expect(unchanged.exitCode, unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toMatch(
      /^Reload: unchanged; file \S+ \(env lines\) still gives the credentials in use, verified for account 123456789012; they expire in 59m \d+s \(at [\d:]+\)\.$/,
    );

    await server.sendKeys('r');
    await waitForValue(
      async () =>
        (await server.screen({ history: true })).split('Reload: unchanged').length - 1 >= 2
          ? true
          : undefined,
      'the r key answer',
      20_000,
    );

    await sandbox.writeCredentials(envLines(sts.issueKey({ ttlMs: 30 * 60_000 })));
    const fresh = await sandbox.run(['reload']);
    expect(fresh.stdout).toMatch(/^Reload: (fresh credentials verified for account 123456789012|unchanged)/);

    const revoked = sts.issueKey();
    sts.revokeKey(revoked.accessKeyId);
    await sandbox.writeCredentials(envLines(revoked));
    const rejected = await sandbox.run(['reload']);
    expect(rejected.stdout).toMatch(/^Reload: rejected: .*InvalidClientTokenId/);
    expect(await server.screen({ history: true })).toContain('Reload: rejected:');
    expect((await sandbox.run(['stop'])).exitCode).toBe(0);
  }, 60_000);
});
