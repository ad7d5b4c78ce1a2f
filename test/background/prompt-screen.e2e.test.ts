/**
 * The prompt fits the screen a person has: in an 80×24 tmux pane, once the prompt has been printed,
 * its header is still on the visible screen (not scrolled off), and the reason is said once.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/built-cli.js';
import { envLines } from '../support/sandbox.js';
import { waitForValue } from '../support/wait-until.js';
import { shellLine, useTmuxSandbox } from './tmux-pane.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));

const env = useTmuxSandbox();

describe('the prompt in an 80×24 pane', () => {
  it('its first line is still visible when it ends; the reason appears once', async () => {
    const { sts, sandbox, server } = env;
    const key = sts.issueKey();
    sts.revokeKey(key.accessKeyId);
    await sandbox.writeCredentials(envLines(key));
    await server.start(
      shellLine([process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch']),
      sandbox.dir,
      80,
      24,
    );

    await waitForValue(
      async () =>
        /Then press r, or run `npx cred-supervisor reload`\./.test(await server.screen()) ? true : undefined,
      'the end of the prompt',
      20_000,
    );
    // Whatever follows the prompt (the status line) has been printed once the state says waiting.
    const status = await sandbox.run(['status', '--json']);
    expect(JSON.parse(status.stdout).state).toBe('waiting-for-credentials');
    const screen = await server.screen();
    expect(screen, screen).toMatch(/── cred-supervisor: credentials needed ─+/);
    expect(screen).toMatch(/Account: {2}\S+/);
    const whole = await server.screen({ history: true });
    expect(whole.match(/credentials needed ─/g), whole).toHaveLength(1);
    expect(whole.match(/InvalidClientTokenId/g) ?? [], whole).toHaveLength(1);
  }, 40_000);
});
