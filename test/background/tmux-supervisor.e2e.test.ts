/**
 * The supervisor as its users run it in the background: detached in tmux (a private tmux server per
 * test), driven from outside with `status`, `reload` and `stop` through the real built CLI.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isProcessGone } from '../../src/process/liveness.js';
import { CLI } from '../support/built-cli.js';
import { envLines } from '../support/sandbox.js';
import { waitForValue } from '../support/wait-until.js';
import { shellLine, useTmuxSandbox } from './tmux-pane.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));

const env = useTmuxSandbox();

// A process that exited but is not reaped yet (a zombie, until tmux waits for it) counts as gone.
const alive = (pid: number) => !isProcessGone(pid);

describe('detached under tmux', () => {
  it('reports running from outside, re-verifies on reload, stops with its child', async () => {
    const { sts, sandbox, server } = env;
    const key = sts.issueKey();
    await sandbox.writeCredentials(envLines(key));
    await server.start(
      shellLine([process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch']),
      sandbox.dir,
      160,
      40,
    );

    const status = await waitForValue(
      async () => {
        const run = await sandbox.run(['status', '--json']);
        if (run.exitCode !== 0) return undefined;
        const json = JSON.parse(run.stdout);
        return json.state === 'running' && json.child.pid ? json : undefined;
      },
      'status --json to say running',
      20_000,
    );
    // The documented shape, plus `region` (where the child's region came from) and `sso` (null: no SSO profile).
    expect(Object.keys(status)).toEqual([
      'state',
      'pid',
      'child',
      'credentials',
      'region',
      'lastError',
      'sso',
    ]);
    expect(status.credentials).toMatchObject({ account: key.account, arn: key.arn });
    const childPid: number = status.child.pid;
    expect(alive(childPid)).toBe(true);

    expect(await server.screen()).toMatch(/\[cred-supervisor\] running · account 123456789012/);

    const tmuxSegment = await sandbox.run(['status', '--format', 'tmux']);
    expect(tmuxSegment.exitCode).toBe(0);
    expect(tmuxSegment.stdout.trim()).toMatch(/1234…9012/);

    const verificationsBefore = sts.requestsBy(key.accessKeyId).length;
    const reload = await sandbox.run(['reload']);
    expect(reload.exitCode, reload.stderr).toBe(0);
    await sts.waitForRequest(() => sts.requestsBy(key.accessKeyId).length > verificationsBefore, 10_000);

    const stop = await sandbox.run(['stop']);
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(alive(status.pid)).toBe(false);
    await waitForValue(async () => (alive(childPid) ? undefined : true), 'the child to be gone', 5_000);
    const after = await sandbox.run(['status']);
    expect(after.exitCode).toBe(3);
    // The pane's program (the supervisor) ended, so tmux closed the session.
    await waitForValue(
      async () => ((await server.tmux(['has-session', '-t', 'dev'])).exitCode !== 0 ? true : undefined),
      'the tmux session to close',
      20_000,
    );
  });

  it('shows the waiting marker in the tmux segment when credentials are needed', async () => {
    const { sandbox, server } = env;
    await server.start(shellLine([process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch']), sandbox.dir);
    const segment = await waitForValue(
      async () => {
        const run = await sandbox.run(['status', '--format', 'tmux']);
        return run.exitCode === 0 && /creds/i.test(run.stdout) ? run.stdout : undefined;
      },
      'the waiting state',
      20_000,
    );
    expect(segment).toMatch(/⚠/);
    const json = JSON.parse((await sandbox.run(['status', '--json'])).stdout);
    expect(json.state).toBe('waiting-for-credentials');
    expect(json.child.pid).toBeNull();
    expect(path.isAbsolute(sandbox.credentialsFile)).toBe(true);
    expect((await sandbox.run(['stop'])).exitCode).toBe(0);
  });

  it('on a terminal: s prints the countdown, r re-verifies, Ctrl+C stops gracefully (exit 130)', async () => {
    const { sts, sandbox, server } = env;
    const key = sts.issueKey({ ttlMs: 50 * 60_000 });
    await sandbox.writeCredentials(envLines(key));
    const exitFile = path.join(sandbox.dir, 'exit-code');
    const watch = shellLine([process.execPath, CLI, 'watch', '--', FAKE_CDK, 'watch']);
    await server.start(`${watch}; echo $? > '${exitFile}'; sleep 30`, sandbox.dir, 160, 50);
    const screen = () => env.server.screen({ history: true });
    await waitForValue(
      async () => {
        const text = await screen();
        return /keys: r reload/.test(text) && /\] running/.test(text) ? true : undefined;
      },
      'the keys hint and running',
      20_000,
    );

    await server.sendKeys('s');
    await waitForValue(
      async () => (/The credentials expire in (49|50)m/.test(await screen()) ? true : undefined),
      'the countdown',
      20_000,
    );

    const before = sts.requestsBy(key.accessKeyId).length;
    await server.sendKeys('r');
    await sts.waitForRequest(() => sts.requestsBy(key.accessKeyId).length > before, 10_000);

    await server.sendKeys('C-c');
    await waitForValue(
      async () => (/Stopping the command gracefully/.test(await screen()) ? true : undefined),
      'the graceful stop',
      20_000,
    );
    const code = await waitForValue(
      async () => {
        const { readFile } = await import('node:fs/promises');
        return readFile(exitFile, 'utf8').then(
          (text) => text.trim(),
          () => undefined,
        );
      },
      'the exit code',
      20_000,
    );
    expect(code).toBe('130');
  });
});
