// `watch --procfile` through the built CLI, with real fixture children and the fake STS: each endpoint
// child presents a token of its own, so the supervisor knows what each one last fetched. After a
// rotation, a child that fetched once and never asked again is restarted alone before its old key
// expires; the SDK child next to it, which keeps asking, is left running.
import { readFileSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder, findSecrets } from '../reliability/support/secret-scan.js';
import type { FakeStsKey } from '../support/fake-sts.js';
import { descendants, procBytes } from '../support/proc.js';
import { NO_PROBES, SDK_CHILD, startWatch, useWatchProject } from '../support/watch-session.js';
import { environOf } from './environ-of.js';

const FETCH_ONCE = fileURLToPath(new URL('../fixtures/fetch-once.mjs', import.meta.url));
const node = process.execPath;

const ctx = useWatchProject();

function masked(key: FakeStsKey): string {
  return `${key.accessKeyId.slice(0, 4)}…${key.accessKeyId.slice(-4)}`;
}

/** A GET to the endpoint with `token`, as the SDK sends it: the status only. */
async function askWith(url: string, token: string): Promise<number> {
  const response = await fetch(url, { headers: { Authorization: token } });
  await response.arrayBuffer();
  return response.status;
}

describe('watch --procfile: a child that never asks again after a rotation', () => {
  it('is restarted alone before the old key expires; the SDK child keeps its pid; its old token stops working', async () => {
    // 70 s: the rotation comes with less than the restart lead (60 s) + 10 s left.
    const old = ctx.sts.issueKey({ ttlMs: 70_000 });
    await ctx.project.writeCredentials(old);
    await writeFile(
      path.join(ctx.project.dir, 'Procfile.dev'),
      `web: ${node} ${SDK_CHILD}\nonce: ${node} ${FETCH_ONCE}\n`,
    );
    const session = startWatch(ctx.project, {
      args: [
        ...['--procfile', 'Procfile.dev', '--check-schedule', NO_PROBES, '--refresh-before', '5s'],
        ...['--log-level', 'debug'],
      ],
      command: null,
      env: { NO_COLOR: '1', CRED_SUPERVISOR_LEASE_MS: '500', SDK_CHILD_INTERVAL_MS: '200' },
    });
    await session.waitForOutput(new RegExp(`once \\| FETCHED key=${masked(old)}`));
    await session.waitForOutput(new RegExp(`web {2}\\| CALL ok account=\\d+ key=${masked(old)}`));
    const before = await session.waitForStatus(
      (s) => (s.children ?? []).every((c) => c.state === 'running'),
      'both children running',
    );
    const [web, once] = before.children ?? [];
    expect([web?.name, once?.name]).toEqual(['web', 'once']);

    // One endpoint, a token file each, neither of them the endpoint's own.
    const url = environOf(once!.pid!, 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
    const onceTokenFile = environOf(once!.pid!, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
    const webTokenFile = environOf(web!.pid!, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
    expect(environOf(web!.pid!, 'AWS_CONTAINER_CREDENTIALS_FULL_URI')).toBe(url);
    expect(onceTokenFile).toBeDefined();
    expect(webTokenFile).toBeDefined();
    expect(onceTokenFile).not.toBe(webTokenFile);
    expect(path.basename(onceTokenFile!)).not.toBe('endpoint.token');
    expect((await stat(onceTokenFile!)).mode & 0o777).toBe(0o600);
    const onceToken = readFileSync(onceTokenFile!, 'utf8');
    expect(environOf(once!.pid!, 'AWS_CONTAINER_AUTHORIZATION_TOKEN')).toBeUndefined();

    const fresh = ctx.sts.issueKey();
    const mark = session.mark();
    await ctx.project.writeCredentials(fresh, { atomic: true });
    await session.waitForOutput(new RegExp(`web {2}\\| CALL ok account=\\d+ key=${masked(fresh)}`), {
      from: mark,
    });
    await session.waitForOutput(/restarting `once` alone: it never asked for the new credentials/, {
      from: mark,
      timeoutMs: 20_000,
    });
    const after = await session.waitForStatus(
      (s) =>
        (s.children ?? []).some(
          (c) => c.name === 'once' && c.restarts === 1 && c.pid !== null && c.pid !== once?.pid,
        ),
      '`once` running again after one restart',
    );
    await session.waitForOutput(new RegExp(`once \\| FETCHED key=${masked(fresh)}`), { from: mark });
    const children = Object.fromEntries((after.children ?? []).map((c) => [c.name, c]));
    expect(children.once?.pid).not.toBe(once?.pid);
    expect(children.web).toMatchObject({ pid: web?.pid, restarts: 0, state: 'running' });
    expect(after.state).toBe('running');
    // The machine's whole-set restart was not used: that message is the one-command one.
    expect(session.output).not.toMatch(/The command never asked for the credentials/);
    expect(session.output.match(/restarting `once` alone/g)).toHaveLength(1);
    expect(session.output).not.toMatch(/restarting `web`/);

    // The restarted child has a new token; the old one is refused and its file is gone.
    const newTokenFile = environOf(children.once!.pid!, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
    expect(newTokenFile).not.toBe(onceTokenFile);
    await expect(stat(onceTokenFile!)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await askWith(url!, onceToken)).toBe(403);
    const newToken = readFileSync(newTokenFile!, 'utf8');
    expect(await askWith(url!, newToken)).toBe(200);

    // Still one restart once the web child has gone on asking for a while.
    const settled = session.mark();
    await session.waitForOutput(new RegExp(`web {2}\\| CALL ok account=\\d+ key=${masked(fresh)}`), {
      from: settled,
    });
    expect(((await session.status()).children ?? []).map((c) => [c.name, c.state, c.restarts])).toEqual([
      ['web', 'running', 0],
      ['once', 'running', 1],
    ]);

    // The tokens are secrets: only in their own files, never in argv, output, status, log or state.
    const tokens = [
      { name: 'first `once` token', value: onceToken },
      { name: 'second `once` token', value: newToken },
      { name: '`web` token', value: readFileSync(webTokenFile!, 'utf8') },
    ];
    const argv = [session.pid, ...descendants(session.pid)].map((pid) => ({
      where: `/proc/${pid}/cmdline`,
      bytes: procBytes(pid, 'cmdline'),
    }));
    const running = filesUnder(session.stateDir, (file) => file.endsWith('.token')).map((e) => ({
      ...e,
      where: `running: ${e.where}`,
    }));
    const status = JSON.stringify(await session.status());
    session.kill('SIGINT');
    await session.waitForExit();
    const log = await session.log();
    expect(log, 'the log holds the endpoint requests').toContain('endpoint-request');
    const exhibits = [
      ...argv,
      ...running,
      { where: 'status', bytes: Buffer.from(status) },
      { where: 'supervisor stdout', bytes: session.stdoutBytes },
      { where: 'supervisor stderr', bytes: session.stderrBytes },
      { where: 'log', bytes: Buffer.from(log) },
      ...filesUnder(session.stateDir),
    ];
    expect(findSecrets(exhibits, tokens)).toEqual([]);
    // Positive control, and the files are gone once the supervisor is.
    expect(findSecrets([{ where: 'token file', bytes: Buffer.from(newToken) }], tokens)).toEqual([
      'token file: second `once` token',
    ]);
    expect(filesUnder(session.stateDir).map((e) => path.basename(e.where))).not.toContainEqual(
      expect.stringMatching(/\.token$/),
    );
  });
});
