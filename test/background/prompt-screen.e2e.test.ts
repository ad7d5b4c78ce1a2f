/**
 * The prompt fits the screen a person has: in an 80×24 tmux pane, once the prompt has been printed,
 * its header is still on the visible screen (not scrolled off), and the reason is said once.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, createSandbox, envLines, type Sandbox } from '../cli/built-cli.js';
import { FakeSts } from '../support/fake-sts.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));

let sts: FakeSts;
let sandbox: Sandbox;
let socket: string;

function tmux(args: string[]) {
  return execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
    env: sandbox.env,
    extendEnv: false,
    reject: false,
  });
}

/** What is on the pane's screen now, without the scrollback. */
const visible = async () => (await tmux(['capture-pane', '-p', '-t', 'dev'])).stdout;

beforeEach(async () => {
  assertBuilt();
  sts = await FakeSts.start();
  sandbox = await createSandbox(sts.url);
  socket = `cs-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  await tmux(['kill-server']);
  await sts.close();
  await sandbox.cleanup();
});

describe('the prompt in an 80×24 pane', () => {
  it('its first line is still visible when it ends; the reason appears once', async () => {
    const key = sts.issueKey();
    sts.revokeKey(key.accessKeyId);
    await sandbox.writeCredentials(envLines(key));
    const watch = [process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch'].map((a) => `'${a}'`).join(' ');
    const started = await tmux([
      'new-session',
      '-d',
      '-s',
      'dev',
      '-x',
      '80',
      '-y',
      '24',
      '-c',
      sandbox.dir,
      watch,
    ]);
    expect(started.exitCode, started.stderr).toBe(0);

    const deadline = Date.now() + 20_000;
    let screen = await visible();
    while (!/Then press r, or run `npx cred-supervisor reload`\./.test(screen)) {
      if (Date.now() > deadline) throw new Error(`no prompt on the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      screen = await visible();
    }
    // Give anything printed right after the prompt (status line, keys hint) the chance to scroll it.
    const status = await sandbox.run(['status', '--json']);
    expect(JSON.parse(status.stdout).state).toBe('waiting-for-credentials');
    screen = await visible();
    if (process.env.SHOW_SCREEN) console.log(screen);
    expect(screen, screen).toMatch(/── cred-supervisor: credentials needed ─+/);
    expect(screen).toMatch(/Account: {2}\S+/);
    const whole = (await tmux(['capture-pane', '-p', '-J', '-t', 'dev', '-S', '-200'])).stdout;
    expect(whole.match(/credentials needed ─/g), whole).toHaveLength(1);
    expect(whole.match(/InvalidClientTokenId/g) ?? [], whole).toHaveLength(1);
  }, 40_000);
});
