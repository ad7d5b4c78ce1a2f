// The soak (`npm run test:soak`, not part of `npm test`): the real `cred-supervisor watch` for 10
// minutes with 30-second credentials that a writer replaces every ~20 s, and a real AWS SDK child
// calling STS through the endpoint twice a second; then a shorter run with `--delivery env`. Checked:
// every rotation reaches the child (the fake STS sees each key sign the child's calls), restarts
// (none with the endpoint; one per rotation with env), the supervisor's memory sampled every minute
// with no upward trend, and its open file descriptors stable. RSS also moves with garbage not yet
// collected and with code the JIT compiles, so the supervisor runs with a probe (support/gc-probe.cjs)
// that records the heap left after a full collection: what a leak would grow. A summary line is
// printed and the figures are written to test/soak/results.json.
//
// The endpoint run also has a hostile neighbour throughout (another local user holding idle
// connections to the endpoint, re-opened as fast as they are dropped) and, where root may mount a
// tmpfs for the state dir, a full-disk minute (the state dir filled up, then freed): 0 failed SDK
// calls outside that minute, 0 crashes, 0 processes left behind.
//
// SOAK_MINUTES (default 10) and SOAK_ENV_MINUTES (default 3) shorten or lengthen the runs;
// SOAK_FULL_DISK_SECONDS (default 60) the full-disk stretch; SOAK_IDLE_CONNECTIONS (default 500)
// the neighbour's connections.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import { DEFAULT_MAX_CONNECTIONS } from '../../src/delivery/credential-endpoint.js';
import { holdIdleConnections, type IdleAttacker } from '../reliability/support/idle-attacker.js';
import { mountTmpfs, type Tmpfs, tmpfsUnavailable } from '../reliability/support/tmpfs.js';
import { FakeSts, type FakeStsKey } from '../support/fake-sts.js';
import { descendants, openDescriptors, residentKb, slopePerStep } from '../support/proc.js';
import { waitUntil } from '../support/wait-until.js';
import {
  endpointPortOf,
  isProcessGone,
  reliabilitySandbox,
  renameKeyInto,
  SDK_CHILD_COMMAND,
  startWatch,
  type WatchSession,
} from '../support/watch-session.js';

const MINUTE = 60_000;
const CREDENTIAL_TTL_MS = 30_000;
const ROTATE_EVERY_MS = 20_000;
const SAMPLE_EVERY_MS = 10_000;
const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));
const GC_PROBE = fileURLToPath(new URL('./support/gc-probe.cjs', import.meta.url));

function minutesFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0))
    throw new Error(`Expected \`${name}\` to be a positive number of minutes, got \`${process.env[name]}\`.`);
  return value;
}

interface Sample {
  atMs: number;
  rssKb: number;
  fds: number;
}

interface Hostilities {
  /** Idle connections held against the endpoint throughout. */
  idleConnections: number;
  /** A stretch with the state dir's file system full, in the middle of the run. */
  fullDiskMs: number;
}

interface SoakResult {
  delivery: 'endpoint' | 'env';
  minutes: number;
  /** The neighbour: connections held, and how many it opened in all (re-opens after drops included). */
  hostileNeighbour: { connections: number; opened: number } | null;
  /** When the state dir was full (ms from the start), and the SDK calls that failed in and outside it. */
  fullDisk:
    | { fromMs: number; toMs: number; failedCallsDuring: number; failedCallsOutside: number }
    | { skipped: string }
    | null;
  /** The supervisor was still running when the soak ended (it never died on its own). */
  crashed: boolean;
  /** Processes the supervisor started still alive 5 s after it exited. */
  orphans: number;
  rotations: number;
  rotationsPickedUp: number;
  restarts: number;
  sdkCalls: { ok: number; failed: number };
  rssMb: { first: number; last: number; max: number; slopeMbPerMin: number; secondHalfSlopeMbPerMin: number };
  /** The heap after a full GC, per minute; its trend over the second half of the run. */
  heapAfterGcMb: { first: number; last: number; secondHalfSlopeKbPerMin: number };
  fds: { first: number; last: number; min: number; max: number };
  perMinute: Array<{ minute: number; rssMb: number; heapAfterGcMb: number; fds: number }>;
  summary: string;
}

const results: SoakResult[] = [];
afterAll(() => {
  if (results.length === 0) return;
  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
});

const maskOf = (key: FakeStsKey) => `${key.accessKeyId.slice(0, 4)}…${key.accessKeyId.slice(-4)}`;
const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

const failedCallsIn = (text: string) => text.match(/^CALL error /gm)?.length ?? 0;

async function soak(
  delivery: 'endpoint' | 'env',
  minutes: number,
  hostilities: Hostilities | null = null,
): Promise<SoakResult> {
  const sts = await FakeSts.start();
  let attacker: IdleAttacker | undefined;
  let tmpfs: Tmpfs | null = null;
  try {
    const sandbox = await reliabilitySandbox(sts.url);
    const noTmpfs = hostilities ? tmpfsUnavailable() : null;
    if (hostilities && noTmpfs === null) tmpfs = mountTmpfs(4096);
    if (noTmpfs) console.warn(`soak: no full-disk minute: ${noTmpfs}`);
    // On the tmpfs, the state dir holds what the supervisor writes (record, log, token, lock); the
    // credentials file stays outside so the writer can go on rotating while the disk is full.
    const credentialsFile = tmpfs
      ? path.join(sandbox.dir, 'private', 'credentials')
      : sandbox.credentialsFile;
    const keys: FakeStsKey[] = [sts.issueKey({ ttlMs: CREDENTIAL_TTL_MS })];
    await renameKeyInto(sandbox, keys[0]!, credentialsFile);
    const probeFile = path.join(sandbox.dir, 'gc-probe.jsonl');
    const watch: WatchSession = startWatch(sandbox, {
      nodeArgs: ['--expose-gc', '--require', GC_PROBE],
      args: [
        ...(tmpfs ? ['--state-dir', tmpfs.dir, '--credentials-file', credentialsFile] : []),
        '--delivery',
        delivery,
        '--region',
        'us-east-1',
        '--refresh-before',
        '5s',
        '--stop-grace',
        '2s',
      ],
      command: SDK_CHILD_COMMAND,
      env: { SDK_CHILD_INTERVAL_MS: '500', SOAK_GC_PROBE_FILE: probeFile },
    });
    await watch.waitFor(`CALL ok account=123456789012 key=${maskOf(keys[0]!)}`, { timeoutMs: 30_000 });
    if (hostilities) {
      const childPid = Number(/READY pid=(\d+)/.exec(watch.output)?.[1]);
      // Re-opened a second after each drop: pressure all the time, without a connect storm on the
      // shared machine.
      attacker = holdIdleConnections(endpointPortOf(childPid), hostilities.idleConnections, 1000);
    }

    const started = Date.now();
    let fullDisk: { fromMs: number; toMs: number; fromMark: number; toMark: number } | undefined;
    const fullDiskDone = new Promise<void>((resolve) => {
      if (!tmpfs || !hostilities) return resolve();
      const disk = tmpfs;
      const runMs = minutes * MINUTE;
      const fromMs = Math.max(0, Math.round(runMs / 2 - hostilities.fullDiskMs / 2));
      setTimeout(() => {
        const fromMark = watch.mark();
        disk.fill();
        setTimeout(() => {
          disk.free();
          fullDisk = { fromMs, toMs: Date.now() - started, fromMark, toMark: watch.mark() };
          resolve();
        }, hostilities.fullDiskMs);
      }, fromMs);
    });
    const samples: Sample[] = [];
    const sample = () => {
      const rssKb = residentKb(watch.pid);
      if (rssKb !== undefined) {
        samples.push({ atMs: Date.now() - started, rssKb, fds: openDescriptors(watch.pid).length });
      }
    };
    sample();
    const sampler = setInterval(sample, SAMPLE_EVERY_MS);
    // The person (or a script) writing fresh 30-second credentials every ~20 s, by atomic rename.
    const rotator = setInterval(() => {
      const key = sts.issueKey({ ttlMs: CREDENTIAL_TTL_MS });
      keys.push(key);
      void renameKeyInto(sandbox, key, credentialsFile);
    }, ROTATE_EVERY_MS);
    await new Promise((resolve) => setTimeout(resolve, minutes * MINUTE));
    await fullDiskDone;
    attacker?.stop();
    clearInterval(rotator);
    clearInterval(sampler);
    // Give the last rotation time to reach the child.
    const last = keys.at(-1)!;
    await watch.waitFor(`key=${maskOf(last)}`, { since: 0, timeoutMs: 15_000 }).catch(() => undefined);
    sample();
    const status = await requestStatus(tmpfs ? tmpfs.dir : watch.stateDir, { timeoutMs: 5000 });

    const crashed = !watch.running;
    const family = descendants(watch.pid);
    watch.signal('SIGTERM');
    const exit = await watch.exited;
    expect(exit).toEqual({ code: 143, signal: null });
    await waitUntil(
      () => family.every((pid) => isProcessGone(pid)),
      "the supervisor's processes to be gone",
      5000,
    ).catch(() => undefined);
    const orphans = family.filter((pid) => !isProcessGone(pid)).length;

    const output = watch.output;
    const pickedUp = keys.filter((key) => output.includes(`CALL ok account=123456789012 key=${maskOf(key)}`));
    const ok = output.match(/^CALL ok /gm)?.length ?? 0;
    const failed = output.match(/^CALL error /gm)?.length ?? 0;
    // Memory: the first minute is warm-up (the SDK loads, the JIT compiles); trends are taken after it.
    const heap = readFileSync(probeFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { atMs: number; heapUsed: number });
    const at = <T extends { atMs: number }>(series: T[], ms: number): T =>
      series.find((s) => s.atMs >= ms) ?? series.at(-1)!;
    const perMinute = Array.from({ length: Math.floor(minutes) + 1 }, (_, minute) => ({
      minute,
      rssMb: mb(at(samples, minute * MINUTE).rssKb),
      heapAfterGcMb: mb(at(heap, minute * MINUTE).heapUsed / 1024),
      fds: at(samples, minute * MINUTE).fds,
    }));
    const settled = perMinute.slice(1);
    const half = Math.floor(perMinute.length / 2);
    const secondHalf = perMinute.slice(half);
    // Unrounded, for the trend.
    const heapKbSecondHalf = secondHalf.map((m) => at(heap, m.minute * MINUTE).heapUsed / 1024);
    const rss = samples.map((s) => s.rssKb);
    const settledRss = samples.filter((s) => s.atMs >= MINUTE).map((s) => s.rssKb);
    const fds = samples.filter((s) => s.atMs >= MINUTE).map((s) => s.fds);
    const round = (n: number) => Math.round(n * 100) / 100;
    const result: SoakResult = {
      delivery,
      minutes,
      hostileNeighbour:
        attacker && hostilities
          ? { connections: hostilities.idleConnections, opened: attacker.opened }
          : null,
      fullDisk: fullDisk
        ? {
            fromMs: fullDisk.fromMs,
            toMs: fullDisk.toMs,
            failedCallsDuring: failedCallsIn(output.slice(fullDisk.fromMark, fullDisk.toMark)),
            failedCallsOutside:
              failedCallsIn(output.slice(0, fullDisk.fromMark)) +
              failedCallsIn(output.slice(fullDisk.toMark)),
          }
        : noTmpfs
          ? { skipped: noTmpfs }
          : null,
      crashed,
      orphans,
      rotations: keys.length - 1,
      rotationsPickedUp: pickedUp.length - 1,
      restarts: status.child?.restarts ?? -1,
      sdkCalls: { ok, failed },
      rssMb: {
        first: settled[0]?.rssMb ?? mb(rss[0]!),
        last: mb(rss.at(-1)!),
        max: mb(Math.max(...(settledRss.length > 0 ? settledRss : rss))),
        slopeMbPerMin: round(slopePerStep(settled.map((m) => m.rssMb))),
        secondHalfSlopeMbPerMin: round(slopePerStep(secondHalf.map((m) => m.rssMb))),
      },
      heapAfterGcMb: {
        first: settled[0]?.heapAfterGcMb ?? perMinute[0]!.heapAfterGcMb,
        last: perMinute.at(-1)!.heapAfterGcMb,
        secondHalfSlopeKbPerMin: Math.round(slopePerStep(heapKbSecondHalf)),
      },
      fds: {
        first: fds[0] ?? samples[0]!.fds,
        last: fds.at(-1) ?? samples.at(-1)!.fds,
        min: Math.min(...fds),
        max: Math.max(...fds),
      },
      perMinute,
      summary: '',
    };
    result.summary =
      `soak (${delivery}, ${minutes} min, ${CREDENTIAL_TTL_MS / 1000} s credentials rotated every ` +
      `${ROTATE_EVERY_MS / 1000} s): ${result.rotationsPickedUp}/${result.rotations} rotations picked up, ` +
      `${result.restarts} restarts, SDK calls ${ok} ok / ${failed} failed, supervisor RSS ` +
      `${result.rssMb.first}→${result.rssMb.last} MB (trend ${result.rssMb.slopeMbPerMin >= 0 ? '+' : ''}` +
      `${result.rssMb.slopeMbPerMin} MB/min), heap after GC ${result.heapAfterGcMb.first}→` +
      `${result.heapAfterGcMb.last} MB (second half ${result.heapAfterGcMb.secondHalfSlopeKbPerMin} KB/min), ` +
      `open fds ${result.fds.first}→${result.fds.last}` +
      (result.hostileNeighbour
        ? `; a neighbour held ${result.hostileNeighbour.connections} idle connections throughout (${result.hostileNeighbour.opened} opened)`
        : '') +
      (result.fullDisk && 'fromMs' in result.fullDisk
        ? `; state disk full ${Math.round(result.fullDisk.fromMs / 1000)}–${Math.round(result.fullDisk.toMs / 1000)} s: ` +
          `${result.fullDisk.failedCallsDuring} failed calls during, ${result.fullDisk.failedCallsOutside} outside`
        : '') +
      `; crashes ${crashed ? 1 : 0}, orphans ${orphans}`;
    console.log(result.summary);
    results.push(result);
    return result;
  } finally {
    attacker?.stop();
    tmpfs?.unmount();
    await sts.close();
  }
}

describe('soak', () => {
  it(
    'endpoint delivery: every rotation reaches the running SDK child, no restart, no growth',
    async () => {
      const minutes = minutesFromEnv('SOAK_MINUTES', 10);
      const result = await soak('endpoint', minutes, {
        idleConnections: Number(process.env.SOAK_IDLE_CONNECTIONS ?? 500),
        fullDiskMs: Number(process.env.SOAK_FULL_DISK_SECONDS ?? 60) * 1000,
      });
      expect(result.rotations).toBeGreaterThanOrEqual(Math.floor((minutes * MINUTE) / ROTATE_EVERY_MS) - 1);
      expect(result.rotationsPickedUp).toBe(result.rotations);
      expect(result.restarts).toBe(0);
      expect(result.crashed).toBe(false);
      expect(result.orphans).toBe(0);
      expect(result.hostileNeighbour?.opened).toBeGreaterThanOrEqual(
        result.hostileNeighbour?.connections ?? 0,
      );
      // Outside the full-disk minute not one SDK call may fail; inside it they may (none is expected:
      // nothing on the child's path needs the disk), and the figure is reported.
      if (result.fullDisk && 'fromMs' in result.fullDisk) expect(result.fullDisk.failedCallsOutside).toBe(0);
      else expect(result.sdkCalls.failed).toBe(0);
      // No leak: the heap left after a full GC does not climb in the second half (the JIT's code and
      // bounded caches fill in the first minutes), and RSS levels off, never 20 MB above minute 1.
      expect(result.heapAfterGcMb.secondHalfSlopeKbPerMin).toBeLessThan(100);
      expect(result.rssMb.secondHalfSlopeMbPerMin).toBeLessThan(0.5);
      expect(result.rssMb.max - result.rssMb.first).toBeLessThan(20);
      // No leaked descriptors: the count moves with connections in flight, but does not climb.
      expect(result.fds.last - result.fds.first).toBeLessThanOrEqual(4);
      // The neighbour keeps up to the endpoint's connection cap open; beyond that nothing is held.
      expect(result.fds.max - result.fds.min).toBeLessThanOrEqual(DEFAULT_MAX_CONNECTIONS + 8);
    },
    (minutesFromEnv('SOAK_MINUTES', 10) + 3) * MINUTE,
  );

  it(
    'env delivery: every rotation restarts the child with the new key, no growth',
    async () => {
      const minutes = minutesFromEnv('SOAK_ENV_MINUTES', 3);
      const result = await soak('env', minutes);
      expect(result.rotationsPickedUp).toBe(result.rotations);
      expect(result.restarts).toBe(result.rotations);
      expect(result.crashed).toBe(false);
      expect(result.orphans).toBe(0);
      expect(result.rssMb.max - result.rssMb.first).toBeLessThan(20);
      expect(result.fds.last - result.fds.first).toBeLessThanOrEqual(4);
    },
    (minutesFromEnv('SOAK_ENV_MINUTES', 3) + 3) * MINUTE,
  );
});
