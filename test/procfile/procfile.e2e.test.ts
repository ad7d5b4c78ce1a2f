// `watch --procfile` through the built CLI, with real fixture children, the real AWS SDK and the fake
// STS: one credential session for several processes; each one restarted alone when it needs it.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isProcessGroupGone } from '../../src/process/liveness.js';
import type { FakeStsKey } from '../support/fake-sts.js';
import { descendants, procBytes } from '../support/proc.js';
import {
  CLI,
  NO_PROBES,
  SDK_CHILD,
  startWatch,
  useWatchProject,
  type WatchSession,
  waitUntil,
} from '../support/watch-session.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const CHATTY = fixture('chatty-child.mjs');
const CRASHER = fixture('crasher.mjs');
const ENV_CHILD = fixture('env-child.mjs');
const node = process.execPath;

const ctx = useWatchProject();

function masked(key: FakeStsKey): string {
  return `${key.accessKeyId.slice(0, 4)}…${key.accessKeyId.slice(-4)}`;
}

async function procfile(text: string): Promise<string> {
  await writeFile(path.join(ctx.project.dir, 'Procfile.dev'), text);
  return 'Procfile.dev';
}

function startProcfile(extraEnv: Record<string, string> = {}, args: string[] = []): WatchSession {
  return startWatch(ctx.project, {
    args: ['--procfile', 'Procfile.dev', '--check-schedule', NO_PROBES, '--refresh-before', '10s', ...args],
    command: null,
    env: { NO_COLOR: '1', SDK_CHILD_INTERVAL_MS: '150', CRED_SUPERVISOR_BACKOFF_MS: '100', ...extraEnv },
  });
}

/** The children of a running status, by name. */
async function childrenByName(session: WatchSession) {
  const status = await session.status();
  return Object.fromEntries((status.children ?? []).map((c) => [c.name, c]));
}

describe('watch --procfile', () => {
  it('two SDK children share one endpoint: one rotation reaches both, no restart; status lists both', async () => {
    const first = ctx.sts.issueKey({ ttlMs: 4 * 60_000 });
    await ctx.project.writeCredentials(first);
    await procfile(`# two SDK clients\napi: ${node} ${SDK_CHILD}\nworker: ${node} ${SDK_CHILD}\n`);
    const session = startProcfile();
    await session.waitForOutput(new RegExp(`api    \\| CALL ok account=\\d+ key=${masked(first)}`));
    await session.waitForOutput(new RegExp(`worker \\| CALL ok account=\\d+ key=${masked(first)}`));
    const before = await session.waitForStatus(
      (s) => (s.children ?? []).every((c) => c.state === 'running'),
      'both children running',
    );
    expect(before.children?.map((c) => c.name)).toEqual(['api', 'worker']);
    for (const child of before.children ?? []) {
      expect(child).toMatchObject({ restarts: 0, state: 'running' });
      expect(child.pgid).toBe(child.pid);
      expect(Date.parse(child.startedAt ?? '')).not.toBeNaN();
    }
    // The one-process `child` stays for compatibility.
    expect(before.child.pid).not.toBeNull();

    const from = session.mark();
    const second = ctx.sts.issueKey();
    await ctx.project.writeCredentials(second);
    await session.waitForOutput(new RegExp(`api    \\| CALL ok account=\\d+ key=${masked(second)}`), {
      from,
    });
    await session.waitForOutput(new RegExp(`worker \\| CALL ok account=\\d+ key=${masked(second)}`), {
      from,
    });
    const after = await childrenByName(session);
    expect(after.api?.pid).toBe(before.children?.[0]?.pid);
    expect(after.worker?.pid).toBe(before.children?.[1]?.pid);
    expect(session.output.match(/READY pid=/g)).toHaveLength(2);
    expect(session.output).not.toMatch(/CALL error/);

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
    for (const child of before.children ?? []) expect(isProcessGroupGone(child.pgid ?? 0)).toBe(true);
  });

  it('a crash restarts only that child, with its own backoff; a missing command is reported for its child alone', async () => {
    await ctx.project.writeCredentials(ctx.sts.issueKey());
    await procfile(
      `steady: ${node} ${SDK_CHILD}\ncrashy: ${node} ${CRASHER}\nmissing: no-such-command-xyz --flag\n`,
    );
    const session = startProcfile({ SDK_CHILD_INTERVAL_MS: '1000' });
    await session.waitForOutput(/steady {2}\| READY pid=(\d+)/);
    // Seen through `sh -c` before it runs (the same check as `watch -- cmd`); a shell line the check
    // cannot see into ends with 127 instead, which child-exit-plan.ts turns into the same `fatal`.
    await session.waitForOutput(/`missing` could not start: Cannot find the command `no-such-command-xyz`/);
    const steadyPid = (await childrenByName(session)).steady?.pid;
    await session.waitForStatus(
      (s) => (s.children ?? []).some((c) => c.name === 'crashy' && c.restarts >= 2),
      'crashy restarted twice',
    );
    expect(session.output).toMatch(/`crashy` exited with code 3; restarting it in/);
    const children = await childrenByName(session);
    expect(children.steady).toMatchObject({ state: 'running', pid: steadyPid, restarts: 0 });
    expect(children.missing).toMatchObject({ state: 'fatal', pid: null });
    expect(session.output.match(/steady {2}\| READY pid=/g)).toHaveLength(1);
    const status = await session.status();
    expect(status.state).toBe('running');
    session.kill('SIGTERM');
    await session.waitForExit();
  });

  it('an env-delivery child is restarted alone on a rotation; the endpoint child keeps its pid', async () => {
    const first = ctx.sts.issueKey({ ttlMs: 4 * 60_000 });
    await ctx.project.writeCredentials(first);
    await writeFile(
      path.join(ctx.project.dir, 'cred-supervisor.config.json'),
      JSON.stringify({
        processes: {
          sdk: `${node} ${SDK_CHILD}`,
          legacy: { command: `${node} ${ENV_CHILD}`, delivery: 'env' },
        },
      }),
    );
    const session = startWatch(ctx.project, {
      args: ['--check-schedule', NO_PROBES, '--refresh-before', '10s'],
      command: null,
      env: { NO_COLOR: '1', SDK_CHILD_INTERVAL_MS: '150' },
    });
    const legacy1 = await session.waitForOutput(new RegExp(`legacy \\| ENV pid=(\\d+) key=${masked(first)}`));
    const sdkReady = await session.waitForOutput(/sdk {4}\| READY pid=(\d+)/);
    const from = session.mark();
    const second = ctx.sts.issueKey();
    await ctx.project.writeCredentials(second);
    const legacy2 = await session.waitForOutput(
      new RegExp(`legacy \\| ENV pid=(\\d+) key=${masked(second)}`),
      {
        from,
      },
    );
    await session.waitForOutput(new RegExp(`sdk {4}\\| CALL ok account=\\d+ key=${masked(second)}`), {
      from,
    });
    expect(legacy2[1]).not.toBe(legacy1[1]);
    expect(session.output.match(/sdk {4}\| READY pid=/g)).toHaveLength(1);
    const children = await childrenByName(session);
    expect(children.sdk?.pid).toBe(Number(sdkReady[1]));
    expect(children.legacy).toMatchObject({ restarts: 1, state: 'running' });
    expect(isProcessGroupGone(Number(legacy1[1]))).toBe(true);
    session.kill('SIGINT');
    await session.waitForExit();
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)(
    '%s of the supervisor leaves no process of any group',
    async (signal) => {
      await ctx.project.writeCredentials(ctx.sts.issueKey());
      // The shell line forks (a pipeline): the whole group must go, not just its leader.
      await procfile(`one: ${node} ${SDK_CHILD} | cat\ntwo: sleep 300 | cat\nthree: ${node} ${CHATTY}\n`);
      const session = startProcfile({ SDK_CHILD_INTERVAL_MS: '1000' });
      const status = await session.waitForStatus(
        (s) => (s.children ?? []).length === 3 && (s.children ?? []).every((c) => c.state === 'running'),
        'three children running',
      );
      const groups = (status.children ?? []).map((c) => c.pgid ?? 0);
      expect(new Set(groups).size).toBe(3);
      session.kill(signal);
      await session.waitForExit();
      // After a SIGKILL only the watchdogs are left to do it; they act within about a second.
      await waitUntil(() => groups.every((g) => isProcessGroupGone(g)), `groups ${groups} gone`, 10_000);
    },
  );

  it('SIGKILL with every watchdog killed too: the next start stops every recorded group', async () => {
    await ctx.project.writeCredentials(ctx.sts.issueKey());
    await procfile(`one: sleep 300 | cat\ntwo: sleep 301 | cat\nthree: sleep 302 | cat\n`);
    const session = startProcfile();
    const status = await session.waitForStatus(
      (s) => (s.children ?? []).every((c) => c.state === 'running'),
      'three children running',
    );
    const groups = (status.children ?? []).map((c) => c.pgid ?? 0);
    const watchdogs = () =>
      descendants(session.pid).filter((pid) =>
        procBytes(pid, 'cmdline').toString().startsWith('cred-supervisor-watchdog'),
      );
    // Each watchdog is a shell and its guard subshell (same argv[0]): at least one per group.
    await waitUntil(() => watchdogs().length >= 6, 'a watchdog (and its guard) per group');
    for (const pid of watchdogs()) process.kill(pid, 'SIGKILL');
    session.kill('SIGKILL');
    await session.waitForExit();
    expect(groups.some((g) => !isProcessGroupGone(g))).toBe(true); // orphaned, for now

    const next = startProcfile();
    await next.waitForOutput(/stopped the processes left by a supervisor that died/);
    await waitUntil(() => groups.every((g) => isProcessGroupGone(g)), 'every recorded group gone');
    next.kill('SIGTERM');
    await next.waitForExit();
  });

  it('status (human, --json, tmux) shows every child; restart NAME restarts one; a Procfile edit is reported, not applied', async () => {
    await ctx.project.writeCredentials(ctx.sts.issueKey());
    await procfile(`web: sleep 300\nworker: ${node} ${ENV_CHILD}\n`);
    const session = startProcfile();
    const before = await session.waitForStatus(
      (s) => (s.children ?? []).every((c) => c.state === 'running'),
      'both running',
    );
    const cli = (...args: string[]) =>
      spawnSync(node, [CLI, ...args], { cwd: ctx.project.dir, env: ctx.project.env, encoding: 'utf8' });

    const human = cli('status');
    expect(human.stdout).toMatch(/^ {2}web {4}running pid \d+ pgid \d+, up \S+, restarted 0 times$/m);
    expect(human.stdout).toMatch(/^ {2}worker running pid \d+ pgid \d+, up \S+, restarted 0 times$/m);
    const json = JSON.parse(cli('status', '--json').stdout) as { children: unknown[]; child: unknown };
    expect(json.children).toEqual(before.children);
    expect(Object.keys(json)).toEqual([
      'state',
      'pid',
      'child',
      'credentials',
      'region',
      'lastError',
      'sso',
      'children',
    ]);
    expect(cli('status', '--format', 'tmux').stdout).toMatch(/ 2\/2\n$/);

    const restarted = cli('restart', 'worker');
    expect(restarted.status).toBe(0);
    expect(restarted.stdout).toMatch(/^Restarted `worker` \(pid \d+\)\.$/m);
    const after = await childrenByName(session);
    expect(after.worker?.restarts).toBe(1);
    expect(after.worker?.pid).not.toBe(before.children?.[1]?.pid);
    expect(after.web?.pid).toBe(before.children?.[0]?.pid);
    const unknown = cli('restart', 'nope');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('No process is named `nope`; the processes are: web, worker.');

    await writeFile(path.join(ctx.project.dir, 'Procfile.dev'), 'web: sleep 300\n');
    await session.waitForOutput(/Procfile\.dev changed; the running processes are unchanged/);
    expect((await session.status()).children).toHaveLength(2);
    session.kill('SIGINT');
    await session.waitForExit();
  });

  it('a child whose output showed a credential error is restarted alone on the next credentials', async () => {
    const first = ctx.sts.issueKey({ ttlMs: 4 * 60_000 });
    await ctx.project.writeCredentials(first);
    // STS still accepts the key: the line was about something else, but this child is suspect.
    await procfile(
      `sdk: ${node} ${SDK_CHILD}\nnoisy: echo "noisy pid $$"; echo 'ExpiredToken: The security token included in the request is expired'; exec sleep 300\n`,
    );
    const session = startProcfile();
    const noisy1 = await session.waitForOutput(/noisy \| noisy pid (\d+)/);
    const sdkReady = await session.waitForOutput(/sdk {3}\| READY pid=(\d+)/);
    await session.waitForOutput(/reported a credential error \(expired\); checking its credentials with STS/);
    const from = session.mark();
    const second = ctx.sts.issueKey();
    await ctx.project.writeCredentials(second);
    const noisy2 = await session.waitForOutput(/noisy \| noisy pid (\d+)/, { from });
    await session.waitForOutput(new RegExp(`sdk {3}\\| CALL ok account=\\d+ key=${masked(second)}`), {
      from,
    });
    expect(noisy2[1]).not.toBe(noisy1[1]);
    const children = await childrenByName(session);
    expect(children.sdk?.pid).toBe(Number(sdkReady[1]));
    expect(session.output.match(/READY pid=/g)).toHaveLength(1);
    session.kill('SIGINT');
    await session.waitForExit();
  });

  it('output is prefixed per child, on stdout and stderr, and byte-identical to each direct run', async () => {
    await ctx.project.writeCredentials(ctx.sts.issueKey());
    await procfile(
      `alpha: CHATTY_NAME=alpha CHATTY_SEED=7 ${node} ${CHATTY}\nbeta: CHATTY_NAME=beta CHATTY_SEED=11 ${node} ${CHATTY}\ngamma: CHATTY_NAME=gamma CHATTY_SEED=23 ${node} ${CHATTY}\n`,
    );
    const session = startProcfile({ CHATTY_LINES: '400' });
    // Names are padded to the longest, so the columns line up.
    const prefixOf = (name: string) => `${name.padEnd(5)} | `;
    for (const name of ['alpha', 'beta', 'gamma']) {
      await session.waitForOutput(new RegExp(`${prefixOf(name).replace('|', '\\|')}DONE\\n`));
      await session.waitForOutput(
        new RegExp(`${prefixOf(name).replace('|', '\\|')}${name} done on stderr\\n`),
      );
    }
    const lines = session.stdoutBytes.toString('utf8').split('\n');
    for (const [name, seed] of [
      ['alpha', '7'],
      ['beta', '11'],
      ['gamma', '23'],
    ] as const) {
      const prefix = prefixOf(name);
      const own = lines
        .filter((line) => line.startsWith(prefix))
        .map((line) => `${line.slice(prefix.length)}\n`);
      const direct = spawnSync(node, [CHATTY], {
        env: { ...process.env, CHATTY_NAME: name, CHATTY_SEED: seed, CHATTY_LINES: '400', CHATTY_EXIT: '1' },
      });
      const hash = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
      expect(own.length).toBe(401);
      expect(hash(own.join(''))).toBe(hash(direct.stdout));
    }
    // Every stdout line came from a child, whole: none without a prefix except the supervisor's own.
    expect(lines.filter((l) => l !== '' && !/^(alpha|beta |gamma) \| /.test(l))).toEqual([]);
    expect(session.stderr).toMatch(/^alpha \| alpha done on stderr$/m);
    session.kill('SIGINT');
    await session.waitForExit();
  });

  it('refuses a bad Procfile before anything starts, naming file, line and fix', async () => {
    await ctx.project.writeCredentials(ctx.sts.issueKey());
    await procfile('# dev loop\nweb: npm run dev\nthis line has no name\nweb: other\nbad name: x\n');
    const bad = spawnSync(node, [CLI, 'watch', '--procfile', 'Procfile.dev'], {
      cwd: ctx.project.dir,
      env: ctx.project.env,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Procfile.dev:3: this line has no `name:`');
    expect(bad.stderr).toContain('Procfile.dev:4: the name `web` is already used on line 2');
    expect(bad.stderr).toContain('Procfile.dev:5: the name `bad name` may hold only');
    expect(ctx.sts.requests.length).toBe(0);

    await procfile('# nothing\n\n');
    const empty = spawnSync(node, [CLI, 'watch', '--procfile', 'Procfile.dev'], {
      cwd: ctx.project.dir,
      env: ctx.project.env,
      encoding: 'utf8',
    });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('Procfile.dev: no process is declared');

    const missing = spawnSync(node, [CLI, 'watch', '--procfile', 'Nope'], {
      cwd: ctx.project.dir,
      env: ctx.project.env,
      encoding: 'utf8',
    });
    expect(missing.stderr).toContain('Nope: it does not exist');

    await writeFile(path.join(ctx.project.dir, 'cred-supervisor.config.json'), '{"processes": {"api": 42}}');
    const config = spawnSync(node, [CLI, 'watch'], {
      cwd: ctx.project.dir,
      env: ctx.project.env,
      encoding: 'utf8',
    });
    expect(config.status).not.toBe(0);
    expect(config.stderr).toContain('processes.api: must be a command string');
  });
});
