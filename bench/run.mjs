#!/usr/bin/env node
/**
 * Runs the benchmarks and writes bench/results/latest.json and latest.md (the table the README shows).
 *
 *   npm run bench                                  # build, then everything (under 10 minutes)
 *   node bench/run.mjs --only passthrough,startup  # some of them (updates just those in latest.*)
 *   node bench/run.mjs --quick                     # fewer, smaller runs; writes bench/results/tmp/
 *
 * Needs a build in dist/. Everything runs against a loopback STS started here; nothing leaves the
 * machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { assertBuilt, resultsDir, root, startLocalSts } from './lib/dist.mjs';
import { killAllStarted } from './lib/processes.mjs';
import { renderMarkdown } from './lib/report.mjs';

/** In running order. `endpoint-rotation` is written separately and runs when its file exists. */
const MEASUREMENTS = [
  'startup',
  'status-segment',
  'module-memory',
  'passthrough',
  'detection',
  'restart',
  'endpoint-rotation',
  'idle',
  'scale',
];

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(`${error.message} Usage: node bench/run.mjs [--only ${MEASUREMENTS.join(',')}] [--quick]`);
}
if (values.help) {
  process.stdout.write(`Usage: node bench/run.mjs [--only ${MEASUREMENTS.join(',')}] [--quick]\n`);
  process.exit(0);
}
const available = MEASUREMENTS.filter((id) => existsSync(path.join(root, 'bench', `${id}.mjs`)));
let selected = available;
if (values.only !== undefined) {
  const asked = values.only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = asked.filter((id) => !MEASUREMENTS.includes(id));
  if (asked.length === 0 || unknown.length > 0) {
    fail(`Expected --only to list some of ${MEASUREMENTS.join(', ')}; got \`${values.only}\`.`);
  }
  const missing = asked.filter((id) => !available.includes(id));
  if (missing.length > 0)
    fail(`Expected bench/${missing[0]}.mjs to exist for --only ${missing[0]}; it does not.`);
  selected = MEASUREMENTS.filter((id) => asked.includes(id));
}
try {
  assertBuilt();
} catch (error) {
  fail(error.message);
}

function commit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const log = (message) => process.stderr.write(`${message}\n`);
const environment = {
  date: new Date().toISOString(),
  commit: commit(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  loadBefore: loadAverage(),
};

const startedAll = performance.now();
const sts = await startLocalSts();
const measurements = [];
let failed = false;
try {
  for (const id of selected) {
    const module = await import(pathToFileURL(path.join(root, 'bench', `${id}.mjs`)).href);
    const title = module.title ?? id;
    log(`${title} …`);
    const started = performance.now();
    try {
      const result = await module.run({ sts, quick: values.quick, log });
      const seconds = (performance.now() - started) / 1000;
      // A measurement written to another shape still lands in the JSON; only `figures` make rows.
      const normalized = Array.isArray(result?.figures) ? result : { figures: [], details: result };
      // The file name is the id --only and the merge go by, whatever id the module gives itself.
      measurements.push({
        ...normalized,
        id,
        title: normalized.title ?? title,
        date: new Date().toISOString(),
        seconds,
      });
      log(`${title}: done in ${seconds.toFixed(0)} s`);
    } catch (error) {
      failed = true;
      killAllStarted();
      const seconds = (performance.now() - started) / 1000;
      measurements.push({ id, title, error: error.message.split('\n')[0], stack: error.stack, seconds });
      log(`${title}: FAILED after ${seconds.toFixed(0)} s\n${error.stack}`);
    }
  }
} finally {
  await sts.close();
}
environment.loadAfter = loadAverage();

// --quick never overwrites the published results; --only replaces just its measurements in them.
const outDir = values.quick ? path.join(resultsDir, 'tmp') : resultsDir;
const jsonFile = path.join(outDir, 'latest.json');
let merged = measurements;
if (values.only !== undefined && !values.quick) {
  const previous = JSON.parse(await readFile(jsonFile, 'utf8').catch(() => '{"measurements":[]}'));
  const byId = new Map((previous.measurements ?? []).map((m) => [m.id, m]));
  for (const m of measurements) byId.set(m.id, m);
  merged = MEASUREMENTS.filter((id) => byId.has(id)).map((id) => byId.get(id));
}
const report = {
  quick: values.quick,
  partial: merged.length !== measurements.length,
  seconds: (performance.now() - startedAll) / 1000,
  environment,
  measurements: merged,
};
await mkdir(outDir, { recursive: true });
await writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
const markdown = renderMarkdown(report);
await writeFile(path.join(outDir, 'latest.md'), markdown);
process.stdout.write(markdown);
log(`wrote ${path.relative(root, jsonFile)} and latest.md in ${report.seconds.toFixed(0)} s`);
process.exitCode = failed ? 1 : 0;
