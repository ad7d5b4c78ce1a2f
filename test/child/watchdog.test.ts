import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawnChild } from '../../src/child/spawn-child.js';
import { stopProcessGroup } from '../../src/child/stop-process-group.js';
import { startWatchdog } from '../../src/child/watchdog.js';
import { isProcessGone, isProcessGroupGone } from '../../src/process/liveness.js';
import { waitUntil } from '../support/wait-until.js';
import { buildHarness, HARNESS_CACHE } from './build-harness.js';
import { collectingSink, FAKE_CDK, fixtureEnv, processJanitor } from './helpers.js';

const janitor = processJanitor();
afterEach(() => janitor.cleanUp());

let harnessFile: string;
beforeAll(async () => {
  harnessFile = await buildHarness('test/fixtures/watchdog-harness.ts', path.join(HARNESS_CACHE, 'watchdog'));
});

/** Runs the harness and resolves with its first stdout line parsed as JSON. */
function runHarness(args: string[]): { harness: ChildProcess; report: Promise<Record<string, number>> } {
  const harness = spawn(process.execPath, [harnessFile, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  janitor.pid(harness.pid!);
  const report = new Promise<Record<string, number>>((resolve, reject) => {
    let text = '';
    harness.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(text.slice(0, newline)) as Record<string, number>);
    });
    harness.once('exit', (code, signal) => reject(new Error(`harness exited early (${code ?? signal})`)));
  });
  return { harness, report };
}

async function startLongRunningChild() {
  const stderr = collectingSink();
  const child = await spawnChild({
    file: FAKE_CDK,
    args: [],
    env: fixtureEnv({ FAKE_CDK_READY_MARKER: 'READY' }),
    stdout: collectingSink().sink,
    stderr: stderr.sink,
  });
  janitor.group(child.pgid);
  await waitUntil(() => stderr.text().includes('READY'), 'the fake cdk to be ready');
  return child;
}

describe('watchdog', () => {
  it('kills the child group, grandchild included, when the supervisor is SIGKILLed', async () => {
    const { harness, report } = runHarness(['spawn', FAKE_CDK]);
    const { pgid, grandchildPid, watchdogPid } = await report;
    janitor.group(pgid!);
    janitor.pid(grandchildPid!);
    janitor.pid(watchdogPid!);
    expect(isProcessGroupGone(pgid!)).toBe(false);
    expect(isProcessGone(grandchildPid!)).toBe(false);

    harness.kill('SIGKILL');

    await waitUntil(() => isProcessGroupGone(pgid!), `process group ${pgid} to be gone`, 5000);
    expect(isProcessGone(grandchildPid!)).toBe(true);
    await waitUntil(() => isProcessGone(watchdogPid!), 'the watchdog to exit after its work', 5000);
  });

  it('removes the files that say the supervisor runs when it is SIGKILLed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'watchdog-files-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    // A name with a space and a leading dash: passed as arguments, never through a shell's words.
    const files = [path.join(dir, 'status-segment'), path.join(dir, '-a segment')];
    for (const file of files) await writeFile(file, 'creds 42m\n');
    const { harness, report } = runHarness(['spawn', FAKE_CDK, ...files]);
    const { pgid, grandchildPid, watchdogPid } = await report;
    janitor.group(pgid!);
    janitor.pid(grandchildPid!);
    janitor.pid(watchdogPid!);
    expect(files.every((file) => existsSync(file))).toBe(true);

    harness.kill('SIGKILL');

    await waitUntil(() => isProcessGroupGone(pgid!), `process group ${pgid} to be gone`, 5000);
    await waitUntil(() => files.every((file) => !existsSync(file)), 'the segment files to be removed', 5000);
    expect(await readdir(dir)).toEqual([]);
  });

  it('does not keep the supervisor alive, and cleans up when it exits without stopping the child', async () => {
    const child = await startLongRunningChild();
    const { harness, report } = runHarness(['adopt', '-', String(child.pgid)]);
    const { watchdogPid } = await report;
    janitor.pid(watchdogPid!);

    // The harness has nothing left to do but the (unref'd) watchdog: it must exit by itself.
    const exitCode = await new Promise((resolve) => harness.once('exit', resolve));
    expect(exitCode).toBe(0);
    await waitUntil(() => isProcessGroupGone(child.pgid), 'the forgotten child group to be killed', 5000);
    expect(await child.exited).toMatchObject({ exitCode: 143, signal: null });
  });

  it('leaves the child and the files alone and exits when disarmed', async () => {
    const child = await startLongRunningChild();
    const dir = await mkdtemp(path.join(tmpdir(), 'watchdog-files-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'status-segment');
    await writeFile(file, 'creds 42m\n');
    const watchdog = await startWatchdog({ pgid: child.pgid, removeIfSupervisorDies: [file] });
    janitor.pid(watchdog.pid);

    watchdog.disarm();
    watchdog.disarm();

    await waitUntil(() => isProcessGone(watchdog.pid), 'the disarmed watchdog to exit');
    expect(isProcessGroupGone(child.pgid)).toBe(false);
    expect(existsSync(file)).toBe(true);
    await stopProcessGroup(child.pgid, { graceMs: 2000 });
  });

  it('exits by itself once the group it guards is gone', async () => {
    const child = await startLongRunningChild();
    const watchdog = await startWatchdog({ pgid: child.pgid, pollMs: 50 });
    janitor.pid(watchdog.pid);

    await stopProcessGroup(child.pgid, { graceMs: 2000 });

    await waitUntil(() => isProcessGone(watchdog.pid), 'the watchdog to notice the group is gone');
  });

  it('refuses to guard pgid 1 or less, and rejects bad timings', async () => {
    expect(() => startWatchdog({ pgid: 1 })).toThrow(/integer greater than 1, got `1`/);
    expect(() => startWatchdog({ pgid: 4242, pollMs: 0 })).toThrow(/`pollMs` to be a positive integer/);
  });
});
