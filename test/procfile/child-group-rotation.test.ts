// ChildGroup, the Procfile's children, with real child processes and the real endpoint, the
// orchestrator's rotation timer captured so the check runs when the test says: after a rotation only
// the child that never asked again is restarted, alone, with a fresh token; one that keeps asking and
// one that never fetched are left running.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ChildGroup } from '../../src/child/child-group.js';
import { MISSED_ROTATION_LEAD_MS } from '../../src/child/missed-rotation.js';
import { defaultOptions } from '../../src/config/options.js';
import type { ResolvedCredentials } from '../../src/credentials/types.js';
import { DEFAULT_RESTART_POLICY, type ProcessSpec } from '../../src/procfile/process-spec.js';
import { DEFAULT_BACKOFF_POLICY } from '../../src/supervisor/backoff.js';
import type { SupervisorEvent } from '../../src/supervisor/types.js';
import { waitUntil } from '../support/watch-session.js';
import { environOf } from './environ-of.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const node = process.execPath;

function key(id: string, expiresInMs: number): ResolvedCredentials {
  return {
    credentials: {
      accessKeyId: id,
      secretAccessKey: `secret-of-${id}-0000000000`,
      sessionToken: `session-of-${id}-0000000000`,
      expiration: new Date(Date.now() + expiresInMs),
    },
    source: { kind: 'file', description: 'test' },
  };
}

const masked = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;

function spec(name: string, command: string): ProcessSpec {
  return { name, command, restart: DEFAULT_RESTART_POLICY, origin: `test ${name}` };
}

async function startGroup(processes: ProcessSpec[], candidates: Map<number, ResolvedCredentials>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'cred-supervisor-group-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  let output = '';
  const stream = {
    write(chunk: Uint8Array | string): boolean {
      output += chunk.toString();
      return true;
    },
    once: () => stream,
  };

  const said: string[] = [];
  const events: SupervisorEvent[] = [];
  const checks: { checkAt: number; check: () => void }[] = [];
  const group = new ChildGroup({
    options: { ...defaultOptions(dir), stopGraceMs: 1000 },
    command: [],
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', POLLER_INTERVAL_MS: '100' },
    stdout: stream,
    stderr: stream,
    watchdog: false,
    candidates: {
      get: (id) => candidates.get(id),
      regionFor: () => 'us-east-1',
    },
    leaseMs: 500,
    onServed: () => undefined,
    armRotationCheck: (checkAt, check) => checks.push({ checkAt, check }),
    now: Date.now,
    dispatch: (event) => events.push(event),
    onExit: () => undefined,
    say: (_level, message) => said.push(message),
    processes,
    backoff: DEFAULT_BACKOFF_POLICY,
  });
  onTestFinished(() => group.close());
  await group.open();
  const seen = (text: string) => () => output.includes(text);
  return { group, said, events, checks, output: () => output, seen };
}

describe('ChildGroup: a child that never asked again after a rotation', () => {
  it('is restarted alone, with a fresh token; the poller and the one that never fetched are left running', async () => {
    const candidates = new Map([
      [1, key('ASIAFIRSTKEY00000001', 30 * 60_000)],
      [2, key('ASIASECONDKEY0000002', 60 * 60_000)],
    ]);
    const { group, said, events, checks, output, seen } = await startGroup(
      [
        spec('poller', `${node} ${fixture('endpoint-poller.mjs')}`),
        spec('once', `${node} ${fixture('fetch-once.mjs')}`),
        spec('idle', 'exec sleep 300'),
      ],
      candidates,
    );
    expect(await group.spawn(1)).toMatchObject({ type: 'child-started' });
    await waitUntil(seen(`once   | FETCHED key=${masked('ASIAFIRSTKEY00000001')}`), 'once fetched');
    await waitUntil(seen(`poller | FETCH ok`), 'the poller fetched');
    const before = Object.fromEntries(group.describe().map((c) => [c.name, c]));
    const tokenFileOf = (pid: number | null | undefined) =>
      environOf(pid ?? 0, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
    const onceTokenFile = tokenFileOf(before.once?.pid);
    expect(onceTokenFile).toMatch(/endpoint-[0-9a-f]+\.token$/);
    expect(checks).toEqual([]); // the first credentials are no rotation

    const from = output().length;
    group.serve(2);
    expect(checks.map((c) => c.checkAt)).toEqual([
      candidates.get(1)!.credentials.expiration!.getTime() - MISSED_ROTATION_LEAD_MS,
    ]);
    const second = new RegExp(`poller \\| FETCH ok .*key=${masked('ASIASECONDKEY0000002')}`);
    await waitUntil(() => second.test(output().slice(from)), 'the poller fetched the new key');
    checks[0]!.check();
    expect(said).toEqual([
      'restarting `once` alone: it never asked for the new credentials, and the ones it holds expire soon.',
    ]);
    await waitUntil(
      seen(`once   | FETCHED key=${masked('ASIASECONDKEY0000002')}`),
      'the restarted `once` fetched the new key',
    );
    const after = Object.fromEntries(group.describe().map((c) => [c.name, c]));
    expect(after.once).toMatchObject({ state: 'running', restarts: 1 });
    expect(after.once?.pid).not.toBe(before.once?.pid);
    expect(tokenFileOf(after.once?.pid)).toMatch(/endpoint-[0-9a-f]+\.token$/);
    expect(tokenFileOf(after.once?.pid)).not.toBe(onceTokenFile);
    await expect(stat(onceTokenFile!)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(tokenFileOf(after.poller?.pid)).toBe(tokenFileOf(before.poller?.pid));
    expect(after.poller).toMatchObject({ state: 'running', restarts: 0, pid: before.poller?.pid });
    expect(after.idle).toMatchObject({ state: 'running', restarts: 0, pid: before.idle?.pid });
    // Per child, not the machine's restart of the whole set.
    expect(events).not.toContainEqual({ type: 'child-missed-rotation' });

    // Run again, the same check finds nobody left on the old key.
    checks[0]!.check();
    expect(said).toHaveLength(1);
  });
});
