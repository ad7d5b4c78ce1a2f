#!/usr/bin/env node
/**
 * Fresh credentials → the running child, without a restart (`--delivery endpoint`), through the real
 * built supervisor and a real AWS SDK v3 child (test/fixtures/sdk-child.mjs, one STS call every
 * 100 ms through the SDK's default credential chain).
 *
 * 1. Latency: from the credentials file being rewritten (the rename) to the first request the
 *    running child signs with the new key, as seen by the STS the child talks to. Baseline: the same
 *    with `--delivery env`, where the supervisor restarts the child (its first call after start).
 *    The child talks to its own loopback STS, so the supervisor's verification and probes (which
 *    also sign with the new key) are never mistaken for the child's calls.
 * 2. Restarts per hour with 15-minute credentials, time compressed 300×: keys live 3 s (15 min),
 *    a refresher rewrites the file every 0.8 s (4 min), `--refresh-before 2s` (10 min), the lease
 *    200 ms (60 s), probes every second (5 min). The fake STS rejects each key once its time is up,
 *    so a child that held a key too long would fail a call, and be restarted. Goal: 0 with endpoint
 *    delivery. Baseline: `env` delivery restarts once per rotation (counted in the latency rounds);
 *    its ~1 s restart is longer than the compressed cadence, so it is not run compressed.
 *
 * Run after `npm run build`:  node bench/endpoint-rotation.mjs [--quick]
 * Writes bench/results/endpoint.json. bench/run.mjs imports `run()` instead.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const id = 'endpoint';
export const title = 'Fresh credentials → the running child, without a restart';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(root, 'dist/cli/main.cjs');
const LOCAL_STS = path.join(root, 'dist/demo/local-sts.js');
const SDK_CHILD = path.join(root, 'test/fixtures/sdk-child.mjs');

/** Production's advertised lease is 60 s; the latency rounds use 200 ms so N rounds take seconds. */
const LATENCY_LEASE_MS = 200;
const CHILD_INTERVAL_MS = 100;
/** 1 s of the compressed run stands for 5 minutes. */
const COMPRESSION = 300;
const COMPRESSED = {
  keyTtlMs: (15 * 60_000) / COMPRESSION,
  refreshEveryMs: (4 * 60_000) / COMPRESSION,
  refreshBefore: '2s',
  leaseMs: 60_000 / COMPRESSION,
  checkSchedule: '* * * * * *',
};
/** A schedule that does not come round during the latency rounds: nothing but the rewrite acts. */
const NO_PROBE = '0 0 1 1 *';

function round1(n) {
  return n === null || n === undefined || !Number.isFinite(n) ? null : Math.round(n * 10) / 10;
}

/** `{ n, median, p25, p75, min, max, samples }`, nearest-rank percentiles. */
function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    n: sorted.length,
    median: round1(median),
    p25: round1(rank(0.25)),
    p75: round1(rank(0.75)),
    min: round1(sorted[0]),
    max: round1(sorted.at(-1)),
    samples: samples.map(round1),
  };
}

function envLines(key) {
  return [
    `export AWS_ACCESS_KEY_ID=${key.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${key.secretAccessKey}`,
    `export AWS_SESSION_TOKEN=${key.sessionToken}`,
    `export AWS_CREDENTIAL_EXPIRATION=${key.expiration.toISOString()}`,
    '',
  ].join('\n');
}

function masked(accessKeyId) {
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

/**
 * One supervisor over one sdk-child, in its own temp project. The supervisor verifies against
 * `supervisorSts`; the child calls `childSts` (which is told every key the test issues).
 */
async function startSupervised({ supervisorSts, childSts, first, delivery, leaseMs, extraArgs = [] }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-bench-endpoint-'));
  const home = path.join(dir, 'home');
  const project = path.join(dir, 'project');
  const credentialsFile = path.join(project, '.cred-supervisor', 'credentials');
  await mkdir(home, { recursive: true });
  await mkdir(path.dirname(credentialsFile), { recursive: true, mode: 0o700 });
  let writes = 0;
  const writeCredentials = async (key) => {
    childSts.addKey({ ...key });
    const temp = path.join(dir, `credentials.${++writes}.tmp`);
    await writeFile(temp, envLines(key), { mode: 0o600 });
    const writtenAt = Date.now();
    await rename(temp, credentialsFile);
    return writtenAt;
  };
  await writeCredentials(first);

  const supervisor = spawn(
    process.execPath,
    [
      CLI,
      'watch',
      '--delivery',
      delivery,
      '--log-level',
      'debug',
      ...extraArgs,
      '--',
      // `env` execs node in place: the child is still the supervisor's direct child and group leader.
      'env',
      `AWS_ENDPOINT_URL_STS=${childSts.url}`,
      process.execPath,
      SDK_CHILD,
    ],
    {
      cwd: project,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_STS: supervisorSts.url,
        CRED_SUPERVISOR_LEASE_MS: String(leaseMs),
        SDK_CHILD_INTERVAL_MS: String(CHILD_INTERVAL_MS),
      },
    },
  );
  const lines = [];
  const waiters = new Set();
  const onLine = (line) => {
    lines.push({ at: Date.now(), line });
    for (const check of [...waiters]) check();
  };
  createInterface({ input: supervisor.stdout }).on('line', onLine);
  createInterface({ input: supervisor.stderr }).on('line', onLine);
  const exited = new Promise((resolve) => supervisor.once('exit', (code) => resolve(code)));

  /** The first output line (seen or to come) matching `pattern`, after index `from`. */
  const nextLine = (pattern, from = 0, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.slice(from).find((l) => pattern.test(l.line));
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        const tail = lines
          .slice(-20)
          .map((l) => l.line)
          .join('\n');
        reject(new Error(`No line matching ${pattern} within ${timeoutMs} ms. Last lines:\n${tail}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });

  const stop = async () => {
    if (supervisor.exitCode === null && supervisor.signalCode === null) {
      supervisor.kill('SIGINT');
      const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!done) {
        try {
          process.kill(-supervisor.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        await exited;
      }
    }
    const log = await readFile(path.join(project, '.cred-supervisor', 'supervisor.log'), 'utf8').catch(
      () => '',
    );
    await rm(dir, { recursive: true, force: true });
    return log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
  };

  const pids = () => [...new Set(lines.map((l) => /^READY pid=(\d+)$/.exec(l.line)?.[1]).filter(Boolean))];
  await nextLine(new RegExp(`^CALL ok .*key=${masked(first.accessKeyId)}$`));
  return { lines, nextLine, writeCredentials, stop, pids };
}

/** File rewritten → first request the child signs with the new key, `rounds` times. */
async function latencyRounds({ sts, childSts, delivery, rounds, log }) {
  const supervised = await startSupervised({
    supervisorSts: sts,
    childSts,
    first: sts.issueKey(),
    delivery,
    leaseMs: LATENCY_LEASE_MS,
    extraArgs: ['--check-schedule', NO_PROBE],
  });
  const samples = [];
  let events = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const key = sts.issueKey();
      const from = supervised.lines.length;
      const writtenAt = await supervised.writeCredentials(key);
      const signed = await childSts.waitForRequest((q) => q.accessKeyId === key.accessKeyId, 20_000);
      samples.push(signed.at - writtenAt);
      // Settle: the child prints its call before the next round starts.
      await supervised.nextLine(new RegExp(`^CALL ok .*key=${masked(key.accessKeyId)}$`), from);
      log(`  ${delivery} round ${r + 1}/${rounds}: ${signed.at - writtenAt} ms`);
    }
  } finally {
    events = await supervised.stop();
  }
  return { samples, restarts: supervised.pids().length - 1, events };
}

/** The compressed hour: keys of 3 s, a refresher every 0.8 s, probes every second. */
async function compressedRun({ sts, childSts, delivery, rotations, log }) {
  const supervised = await startSupervised({
    supervisorSts: sts,
    childSts,
    // The first key outlives the start-up, so the first rotation is the refresher's.
    first: sts.issueKey({ ttlMs: 60_000 }),
    delivery,
    leaseMs: COMPRESSED.leaseMs,
    extraArgs: ['--refresh-before', COMPRESSED.refreshBefore, '--check-schedule', COMPRESSED.checkSchedule],
  });
  const startedAt = Date.now();
  let endedAt = startedAt;
  let events = [];
  const keys = [];
  try {
    for (let r = 0; r < rotations; r++) {
      const due = startedAt + r * COMPRESSED.refreshEveryMs;
      await sleep(Math.max(0, due - Date.now()));
      const key = sts.issueKey({ ttlMs: COMPRESSED.keyTtlMs });
      keys.push(key);
      await supervised.writeCredentials(key);
    }
    // One more cadence: the last key is picked up (or not) before counting.
    await sleep(COMPRESSED.refreshEveryMs);
    endedAt = Date.now();
  } finally {
    events = await supervised.stop();
  }
  const restarts = supervised.pids().length - 1;
  const failedCalls = supervised.lines.filter((l) => l.line.startsWith('CALL error')).length;
  const okCalls = supervised.lines.filter((l) => l.line.startsWith('CALL ok')).length;
  const stoppedForCredentials = supervised.lines.filter((l) =>
    l.line.includes('Stopping the command until fresh credentials'),
  ).length;
  const simulatedHours = ((endedAt - startedAt) * COMPRESSION) / 3_600_000;
  const keysUsedByChild = keys.filter((k) => childSts.requestsBy(k.accessKeyId).length > 0).length;
  const endpointRequests = events.filter((e) => e.event === 'endpoint-request').length;
  log(
    `  ${delivery}: ${rotations} rotations in ${endedAt - startedAt} ms (${simulatedHours.toFixed(2)} h simulated): ` +
      `${restarts} restarts, ${failedCalls} failed calls of ${failedCalls + okCalls}, ${keysUsedByChild} keys used by the child`,
  );
  return {
    rotations,
    wallMs: endedAt - startedAt,
    simulatedHours: Math.round(simulatedHours * 100) / 100,
    restarts,
    restartsPerHour: round1(restarts / simulatedHours),
    keysUsedByChild,
    failedCalls,
    okCalls,
    stoppedForCredentials,
    endpointRequests,
  };
}

export async function run({ sts, quick = false, log = (line) => console.error(line) } = {}) {
  if (!existsSync(CLI) || !existsSync(LOCAL_STS)) {
    throw new Error('dist/ is missing: run `npm run build` first.');
  }
  const { LocalSts } = await import(LOCAL_STS);
  const ownSts = sts ? undefined : await LocalSts.start();
  const supervisorSts = sts ?? ownSts;
  const childSts = await LocalSts.start();
  const rounds = quick ? 3 : 10;
  const rotations = quick ? 8 : 20;
  try {
    log('endpoint: latency, --delivery endpoint');
    const endpoint = await latencyRounds({ sts: supervisorSts, childSts, delivery: 'endpoint', rounds, log });
    log('endpoint: latency, --delivery env (restart)');
    const env = await latencyRounds({ sts: supervisorSts, childSts, delivery: 'env', rounds, log });
    log('endpoint: compressed hour, --delivery endpoint');
    const hourEndpoint = await compressedRun({
      sts: supervisorSts,
      childSts,
      delivery: 'endpoint',
      rotations,
      log,
    });
    // env delivery restarts on every change (measured in the latency rounds). Its restart (~1 s) is
    // longer than the compressed refresh cadence, so it is not run compressed: per hour it restarts
    // once per rotation, 60 / 4 = 15 times.
    const envRestartsPerRotation = env.restarts / rounds;
    const envRestartsPerHour = round1(envRestartsPerRotation * (60 / 4));

    const served = summarize(endpoint.samples);
    const restarted = summarize(env.samples);
    return {
      id,
      title,
      figures: [
        {
          name: 'Credentials file rewritten → first call the running child signs with the new key',
          unit: 'ms',
          subject: { label: `endpoint delivery (served, lease ${LATENCY_LEASE_MS} ms)`, ...served },
          baseline: { label: 'env delivery (the child is restarted)', ...restarted },
          ratio:
            served.median !== null && restarted.median
              ? round1((served.median / restarted.median) * 100) / 100
              : null,
          ratioOf: 'subject / baseline (medians)',
          goal: { text: 'no restart on any rotation', met: endpoint.restarts === 0 },
        },
        {
          name: 'Restarts per hour, 15-minute credentials refreshed every 4 minutes (compressed 300×)',
          unit: 'restarts/h',
          subject: { label: 'endpoint delivery', value: hourEndpoint.restartsPerHour },
          baseline: {
            label: 'env delivery (restarts per rotation, measured, × 15 rotations/h)',
            value: envRestartsPerHour,
          },
          ratio: null,
          ratioOf: null,
          goal: { text: '0 with endpoint delivery', met: hourEndpoint.restarts === 0 },
        },
      ],
      details: {
        childCallEveryMs: CHILD_INTERVAL_MS,
        latency: {
          rounds,
          restartsDuringRounds: { endpoint: endpoint.restarts, env: env.restarts },
        },
        compressedHour: {
          compression: COMPRESSION,
          keyTtlMs: COMPRESSED.keyTtlMs,
          refreshEveryMs: COMPRESSED.refreshEveryMs,
          refreshBefore: COMPRESSED.refreshBefore,
          leaseMs: COMPRESSED.leaseMs,
          endpoint: hourEndpoint,
          envRestartsPerRotation,
        },
      },
      notes: [
        `With endpoint delivery the child's SDK asks again at its first call made a lease after its last fetch; the latency is about the file watcher's settle time (~230 ms) + verification + up to one lease + one call interval (${CHILD_INTERVAL_MS} ms). Production advertises a 60 s lease, so there a rotation reaches an active child within about a minute.`,
        "That first call after the lease still signs with the old key (the SDK's default chain refreshes passively), so a key that is already dead at STS costs the child one failed call.",
        'env delivery restarts the child on every change: the baseline includes stopping the old child and starting Node and the SDK again.',
      ],
    };
  } finally {
    await childSts.close();
    await ownSts?.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const result = await run({ quick: values.quick });
  const out = path.join(root, 'bench/results/endpoint.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, ...result }, null, 2)}\n`,
  );
  for (const figure of result.figures) {
    const s = figure.subject;
    const b = figure.baseline;
    const show = (x) =>
      x.median !== undefined ? `median ${x.median} (p25 ${x.p25}, p75 ${x.p75}, max ${x.max})` : `${x.value}`;
    console.log(
      `${figure.name} [${figure.unit}]\n  ${s.label}: ${show(s)}\n  ${b.label}: ${show(b)}\n  goal: ${figure.goal.text}: ${figure.goal.met ? 'met' : 'NOT met'}`,
    );
  }
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
