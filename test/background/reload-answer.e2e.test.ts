/**
 * Every reload is answered: `cred-supervisor reload` prints the verdict (unchanged, fresh, rejected and
 * why) and so does the `r` key on the supervisor's terminal. Real tmux, built CLI, fake STS.
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

const screen = async () => (await tmux(['capture-pane', '-p', '-J', '-t', 'dev', '-S', '-300'])).stdout;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${await screen()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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

describe('reload always answers', () => {
  it('unchanged, fresh, rejected: from `reload` and from the r key', async () => {
    await sandbox.writeCredentials(envLines(sts.issueKey()));
    const watch = [process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch'].map((a) => `'${a}'`).join(' ');
    await tmux(['new-session', '-d', '-s', 'dev', '-x', '160', '-y', '50', '-c', sandbox.dir, watch]);
    await until('running', async () => /\] running/.test(await screen()));

    const unchanged = await sandbox.run(['reload']);
    expect(unchanged.exitCode, unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toMatch(
      /^Reload: unchanged; file \S+ \(env lines\) still gives the credentials in use, verified for account 123456789012; they expire in 59m \d+s \(at [\d:]+\)\.$/,
    );

    await tmux(['send-keys', '-t', 'dev', 'r']);
    await until('the r key answer', async () => (await screen()).split('Reload: unchanged').length - 1 >= 2);

    await sandbox.writeCredentials(envLines(sts.issueKey({ ttlMs: 30 * 60_000 })));
    const fresh = await sandbox.run(['reload']);
    expect(fresh.stdout).toMatch(/^Reload: (fresh credentials verified for account 123456789012|unchanged)/);

    const revoked = sts.issueKey();
    sts.revokeKey(revoked.accessKeyId);
    await sandbox.writeCredentials(envLines(revoked));
    const rejected = await sandbox.run(['reload']);
    expect(rejected.stdout).toMatch(/^Reload: rejected: .*InvalidClientTokenId/);
    expect(await screen()).toContain('Reload: rejected:');
    expect((await sandbox.run(['stop'])).exitCode).toBe(0);
  }, 60_000);
});
