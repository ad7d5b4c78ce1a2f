// The supervised command's own life, through the built CLI: crashes restart with backoff and a crash
// loop ends in `fatal` (exit 1 when no one can answer); a clean exit ends the supervisor with 0; a
// command that cannot run exits 127; the default command is `cdk watch --hotswap-fallback` from
// node_modules/.bin; output passes through byte for byte, partial last line included, and the
// supervisor's own lines never land inside a line of the child's.
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import {
  assertNoSecretsLeaked,
  FAKE_CDK,
  NO_PROBES,
  startWatch,
  useWatchProject,
  type WatchProject,
} from '../support/watch-session.js';

const EXPIRED_LINE = 'ExpiredToken: The security token included in the request is expired';

let sts: FakeSts;
let project: WatchProject;

useWatchProject(async (context) => {
  ({ sts, project } = context);
  await project.writeCredentials(sts.issueKey());
});

describe('watch: a command that exits on its own', () => {
  it('restarts a crashing command with growing delays, then ends a crash loop in fatal with exit 1', async () => {
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      // The default policy's pace, scaled down: 100 ms, 200 ms, 400 ms, 800 ms, then the 5th crash.
      env: {
        FAKE_CDK_EXIT_CODE: '1',
        FAKE_CDK_READY_MARKER: 'FAKE_READY',
        CRED_SUPERVISOR_BACKOFF_MS: '100',
      },
    });
    const exit = await session.waitForExit();
    expect(exit.code).toBe(1);
    const delays = [
      ...session.output.matchAll(/The command exited with code 1\. Restarting in (\S+)\./g),
    ].map((m) => m[1]);
    expect(delays).toEqual(['100ms', '200ms', '400ms', '800ms']);
    expect(session.output).toMatch(
      /The command exited with code 1: 5 crashes within \S+ \(limit 5\)\. Not restarting it/,
    );
    expect(session.output).toMatch(/\[cred-supervisor\] fatal/);
    expect(session.output.match(/FAKE_READY/g)).toHaveLength(5);
    expect(new Set(session.childPids()).size).toBe(5);
    assertNoSecretsLeaked(sts, session);
  });

  it('exits 0 when the command exits 0', async () => {
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      env: { FAKE_CDK_EXIT_CODE: '0', FAKE_CDK_EXIT_AFTER_MS: '200', FAKE_CDK_READY_MARKER: 'FAKE_READY' },
    });
    const exit = await session.waitForExit();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(session.output).toContain('FAKE_READY');
    expect(session.output).toMatch(/The command exited with code 0; cred-supervisor stops too\./);
    expect(session.childPids()).toHaveLength(1);
  });

  it('exits 127 with a message naming the command when it cannot be found', async () => {
    const missing = path.join(project.dir, 'no-such-command');
    const session = startWatch(project, { args: ['--check-schedule', NO_PROBES], command: [missing] });
    const exit = await session.waitForExit();
    expect(exit.code).toBe(127);
    expect(session.stderr).toContain(missing);
    // Said before anything else: no credentials were verified for a command that cannot run.
    expect(session.stderr).toMatch(/^\[cred-supervisor\] /);
    expect(session.stderr).not.toMatch(/\[cred-supervisor\] starting/);
  });
});

describe('watch: the default command', () => {
  it('runs node_modules/.bin/cdk with `watch --hotswap-fallback` when no command is given', async () => {
    const bin = path.join(project.dir, 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    await symlink(FAKE_CDK, path.join(bin, 'cdk'));
    // A subfolder, as when started from inside the app: the .bin is found walking up.
    const pidFile = path.join(project.dir, 'child.json');
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      command: null,
      env: { FAKE_CDK_PRINT_ARGS: '1', FAKE_CDK_READY_MARKER: 'FAKE_READY', FAKE_CDK_PID_FILE: pidFile },
    });
    await session.waitForOutput(/FAKE_READY/);
    expect(session.output).toContain('ARGS=["watch","--hotswap-fallback"]\n');
    // Spawned directly (no npx, npm or sh -c in between): the child IS the process group's leader.
    const { pid } = JSON.parse(await readFile(pidFile, 'utf8')) as { pid: number };
    expect(session.childPids()).toEqual([pid]);
    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
  });
});

describe('watch: the command output', () => {
  it('passes stdout through byte for byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('\u001b[32m✔ synthesized\u001b[39m\r\n'),
      Buffer.from('déploiement… 漢字 🚀\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x0a]), // not UTF-8: passed on as it is
      Buffer.from(`${'x'.repeat(100_000)}\n`),
    ]);
    const emitFile = path.join(project.dir, 'emit.bin');
    await writeFile(emitFile, bytes);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      env: { FAKE_CDK_STREAM: 'stdout', FAKE_CDK_EMIT_FILE: emitFile, FAKE_CDK_EXIT_CODE: '0' },
    });
    expect((await session.waitForExit()).code).toBe(0);
    expect(session.stdoutBytes.equals(bytes)).toBe(true);
    expect(session.stderr).toMatch(/The command exited with code 0/);
  });

  it('leaves a redirected stdout alone while it speaks on stderr: no newline added to a partial line', async () => {
    // stdout goes to a file or a pipe of its own (both pipes here, not terminals): ending the child's
    // stdout line to make room for a message on stderr would only corrupt the file.
    const bytes = Buffer.from(`${EXPIRED_LINE}\npartial last line, no newline`);
    const emitFile = path.join(project.dir, 'emit.txt');
    await writeFile(emitFile, bytes);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      env: {
        FAKE_CDK_STREAM: 'stdout',
        FAKE_CDK_EMIT_FILE: emitFile,
        FAKE_CDK_EXIT_CODE: '0',
        FAKE_CDK_EXIT_AFTER_MS: '400',
      },
    });
    expect((await session.waitForExit()).code).toBe(0);
    expect(session.stderr).toMatch(/The command reported a credential error \(expired\)/);
    expect(session.stdoutBytes.toString()).toBe(bytes.toString());
  });

  it('with `2>&1`, ends the child stdout line before speaking: one pipe, no line spliced', async () => {
    const emitFile = path.join(project.dir, 'emit.txt');
    await writeFile(emitFile, `${EXPIRED_LINE}\npartial last line, no newline`);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      mergeStderr: true,
      env: {
        FAKE_CDK_STREAM: 'stdout',
        FAKE_CDK_EMIT_FILE: emitFile,
        FAKE_CDK_EXIT_CODE: '0',
        FAKE_CDK_EXIT_AFTER_MS: '400',
      },
    });
    expect((await session.waitForExit()).code).toBe(0);
    expect(session.stderr).toBe('');
    expect(session.stdout).toContain('partial last line, no newline\n[cred-supervisor] ');
    expect(session.stdout).not.toMatch(/[^\n]\[cred-supervisor\]/);
  });

  it("keeps its own lines out of the child's unfinished line, and passes the partial last line on", async () => {
    // A credential-error line makes the supervisor speak while the child is in the middle of a line
    // that it finishes only by exiting, 400 ms later.
    const emitFile = path.join(project.dir, 'emit.txt');
    await writeFile(emitFile, `${EXPIRED_LINE}\npartial last line, no newline`);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES],
      env: { FAKE_CDK_EMIT_FILE: emitFile, FAKE_CDK_EXIT_CODE: '0', FAKE_CDK_EXIT_AFTER_MS: '400' },
    });
    expect((await session.waitForExit()).code).toBe(0);
    const stderr = session.stderr;
    expect(stderr).toContain('partial last line, no newline\n[cred-supervisor] ');
    expect(stderr).toMatch(/\n\[cred-supervisor\] The command reported a credential error \(expired\)/);
    // Every line of the supervisor starts a line.
    expect(stderr).not.toMatch(/[^\n]\[cred-supervisor\]/);
    expect(stderr.indexOf('partial last line')).toBeLessThan(stderr.indexOf('reported a credential error'));
  });
});
