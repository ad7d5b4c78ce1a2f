/**
 * `watch --procfile` at 1, 3 and 10 children, and output from 3 children at once.
 *
 * - Overhead: one supervisor runs a Procfile of N real AWS SDK v3 children (test/fixtures/sdk-child.mjs,
 *   an STS call every 2 s through the one endpoint). Over a window: the supervisor's own CPU (share of
 *   one core) and RSS (its children's are theirs). Baseline in the same run: `watch -- <sdk-child>`
 *   (one command, no Procfile). Per-child cost: (N-child figure − 1-child figure) / (N − 1).
 * - Pass-through: 3 writers (bench/fixtures/output-writer.mjs, different seeds) at once, read straight
 *   from one pipe (baseline: `sh -c 'w & w & w & wait'`) and through `watch --procfile` (subject, every
 *   line prefixed `name | `), rounds interleaved. MB/s of the writers' bytes, first to last byte.
 *   Integrity: each child's lines, prefix removed, hash-compared with that writer run alone.
 *
 *   node bench/procfile-scale.mjs [--quick]        (needs `npm run build`)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture, sdkChildPath, startLocalSts } from './lib/dist.mjs';
import { memoryKb, startCpuMeter } from './lib/proc.mjs';
import { startProcess, startSupervisor, stopProcess, waitFor } from './lib/processes.mjs';
import { createProject } from './lib/project.mjs';
import { median, ratio, round } from './lib/stats.mjs';

export const id = 'procfile-scale';
export const title = 'Several commands (--procfile)';

const MB = 1024 * 1024;
const KEY_TTL_MS = 4 * 60_000;

/** `watch ARGS` (a Procfile, or `-- command`) with colour off, so the prefixes are plain text. */
function startWatch(project, args, env = {}, stdout = 'lines') {
  return startSupervisor(project, { args, env: { NO_COLOR: '1', ...env }, stdout });
}

async function overheadFor(sts, n, windowMs, log) {
  const project = await createProject({
    sts,
    key: sts.issueKey({ ttlMs: KEY_TTL_MS }),
    name: `procfile-${n}`,
  });
  const procfile = Array.from({ length: n }, (_, i) => `sdk${i}: ${process.execPath} ${sdkChildPath}`).join(
    '\n',
  );
  await writeFile(path.join(project.dir, 'Procfile'), `${procfile}\n`);
  // Keys live 4 minutes (so each SDK call asks the endpoint, as in a key's last 5 minutes).
  const refresh = ['--refresh-before', '1m'];
  const args =
    n === 0 ? [...refresh, '--', process.execPath, sdkChildPath] : [...refresh, '--procfile', 'Procfile'];
  const watch = startWatch(project, args, { SDK_CHILD_INTERVAL_MS: '2000' });
  try {
    const calls = () => watch.stdout.all.filter((l) => /CALL ok /.test(l.text)).length;
    await waitFor(() => calls() >= Math.max(1, n), {
      timeoutMs: 120_000,
      pollMs: 50,
      what: `${n} children calling`,
    });
    await sleep(1000);
    const meter = startCpuMeter([watch.pid]);
    let rssPeak = 0;
    const end = Date.now() + windowMs;
    while (Date.now() < end) {
      rssPeak = Math.max(rssPeak, (memoryKb(watch.pid)?.rssKb ?? 0) / 1024);
      await sleep(250);
    }
    const cpu = meter().get(watch.pid);
    const result = {
      children: n === 0 ? 1 : n,
      procfile: n !== 0,
      corePercent: round(cpu.corePercent, 2),
      rssMb: round(rssPeak, 1),
    };
    log(
      `  ${n === 0 ? 'watch -- (1 command)' : `--procfile, ${n} children`}: ${result.corePercent}% of a core, RSS ${result.rssMb} MB`,
    );
    return result;
  } finally {
    await stopProcess(watch.process, { signal: 'SIGINT' });
    await project.cleanup?.();
  }
}

function drain(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let first;
    let last;
    stream.on('data', (chunk) => {
      const now = process.hrtime.bigint();
      first ??= now;
      last = now;
      chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve({ data: Buffer.concat(chunks), first, last }));
  });
}

const SEEDS = [11, 23, 37];
const NAMES = ['one', 'two', 'three'];

async function passthroughRound(sts, bytesEach, writer) {
  // Baseline: the three writers straight into one pipe.
  const line = SEEDS.map((seed) => `WRITER_SEED=${seed} ${process.execPath} ${writer} &`).join(' ');
  const direct = startProcess('sh', ['-c', `${line} wait`], {
    env: { ...process.env, WRITER_BYTES: String(bytesEach) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await drain(direct.stdout);
  await direct.exited;

  const project = await createProject({ sts, key: sts.issueKey(), name: 'procfile-pass' });
  const procfile = NAMES.map(
    (name, i) => `${name}: WRITER_SEED=${SEEDS[i]} ${process.execPath} ${writer}`,
  ).join('\n');
  await writeFile(path.join(project.dir, 'Procfile'), `${procfile}\n`);
  const watch = startWatch(project, ['--procfile', 'Procfile'], { WRITER_BYTES: String(bytesEach) }, 'pipe');
  const through = await drain(watch.process.stdout);
  await watch.process.exited;
  await project.cleanup?.();
  const payload = 3 * bytesEach;
  const mbps = (r) => payload / MB / (Number(r.last - r.first) / 1e9);
  return { baselineMbps: mbps(base), subjectMbps: mbps(through), output: through.data };
}

/** Each child's stream from the prefixed output, compared with that writer run alone. */
function integrity(output, bytesEach, writer) {
  const lines = output.toString('latin1').split('\n');
  return NAMES.map((name, i) => {
    const prefix = `${name.padEnd(5)} | `;
    const own = lines
      .filter((l) => l.startsWith(prefix))
      .map((l) => `${l.slice(prefix.length)}\n`)
      .join('');
    const alone = spawnSync(process.execPath, [writer], {
      env: { ...process.env, WRITER_SEED: String(SEEDS[i]), WRITER_BYTES: String(bytesEach) },
      maxBuffer: 1024 * MB,
    }).stdout;
    // The writer's last line has no newline: the prefixer ends it with one when the child exits (so
    // the next child's prefix starts a line). That byte is the one difference allowed.
    const expected = alone.at(-1) === 0x0a ? alone : Buffer.concat([alone, Buffer.from('\n')]);
    const hash = (data) => createHash('sha256').update(data).digest('hex');
    return hash(Buffer.from(own, 'latin1')) === hash(expected);
  }).every(Boolean);
}

export async function run({ sts, quick = false, log = (line) => process.stdout.write(`${line}\n`) }) {
  const windowMs = quick ? 4_000 : 15_000;
  log('Overhead (the supervisor process only):');
  const overhead = [];
  for (const n of [0, 1, 3, 10]) overhead.push(await overheadFor(sts, n, windowMs, log));
  const [single, one, three, ten] = overhead;
  const perChild = {
    rssMb: round((ten.rssMb - one.rssMb) / 9, 2),
    corePercent: round((ten.corePercent - one.corePercent) / 9, 3),
  };
  log(`  per extra child (1 → 10): +${perChild.rssMb} MB RSS, +${perChild.corePercent}% of a core`);

  const writer = fixture('output-writer.mjs');
  const bytesEach = (quick ? 5 : 40) * MB;
  const rounds = quick ? 2 : 5;
  const baseline = [];
  const subject = [];
  let last;
  for (let r = 0; r < rounds; r++) {
    const round1 = await passthroughRound(sts, bytesEach, writer);
    baseline.push(round1.baselineMbps);
    subject.push(round1.subjectMbps);
    last = round1.output;
  }
  const identical = integrity(last, bytesEach, writer);
  const passthrough = {
    writers: 3,
    mbEach: bytesEach / MB,
    baselineMbps: round(median(baseline), 0),
    subjectMbps: round(median(subject), 0),
    ratio: ratio(median(subject), median(baseline)),
    identicalPerChild: identical,
  };
  log(
    `Pass-through, 3 writers × ${passthrough.mbEach} MB at once: direct ${passthrough.baselineMbps} MB/s, through --procfile ${passthrough.subjectMbps} MB/s (×${passthrough.ratio}); each child's stream identical: ${identical}`,
  );
  return { overhead: { single, one, three, ten, perChild }, passthrough };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sts = await startLocalSts();
  try {
    const result = await run({ sts, quick: process.argv.includes('--quick') });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await sts.close();
  }
}
