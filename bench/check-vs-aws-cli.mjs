#!/usr/bin/env node
/**
 * How long `cred-supervisor check` takes next to `aws sts get-caller-identity` (the AWS CLI), with
 * `node -e 0` (Node's own start-up) and `cred-supervisor --version` (our start-up without the SDK)
 * as floors. All four are run N times, interleaved round by round in a rotating order so drift on a
 * busy machine hits them alike, against the loopback STS stand-in started in this process.
 *
 * Run after `npm run build`:  node bench/check-vs-aws-cli.mjs [--runs 10]
 * Writes bench/results/check.json.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist/cli/main.js');
const localStsModule = path.join(root, 'dist/demo/local-sts.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`Expected --runs to be a positive integer, got \`${values.runs}\`.`);
  process.exit(2);
}
if (!existsSync(cli) || !existsSync(localStsModule)) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}
const { LocalSts } = await import(localStsModule);

/** Runs a command to completion without blocking this process (the STS answers from here). */
function timed(command, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, output }));
  });
}

function round(n) {
  return Math.round(n * 10) / 10;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const quantile = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    median: round(median),
    p25: round(quantile(0.25)),
    p75: round(quantile(0.75)),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
    samples: samples.map(round),
  };
}

const sts = await LocalSts.start();
const dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-bench-'));
try {
  const key = sts.issueKey({ ttlMs: 3_600_000 });
  const credentialsFile = path.join(dir, '.cred-supervisor', 'credentials');
  await mkdir(path.dirname(credentialsFile), { recursive: true });
  await writeFile(
    credentialsFile,
    [
      `export AWS_ACCESS_KEY_ID=${key.accessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${key.secretAccessKey}`,
      `export AWS_SESSION_TOKEN=${key.sessionToken}`,
      `export AWS_CREDENTIAL_EXPIRATION=${key.expiration.toISOString()}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // Nothing from the person's own AWS setup: an empty HOME and config files that do not exist.
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_CONFIG_FILE: path.join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  const keyEnv = {
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_SESSION_TOKEN: key.sessionToken,
  };

  const cases = [
    { name: 'node -e 0', command: process.execPath, args: ['-e', '0'], env: baseEnv },
    { name: 'cred-supervisor --version', command: process.execPath, args: [cli, '--version'], env: baseEnv },
    {
      name: 'cred-supervisor check',
      command: process.execPath,
      args: [cli, 'check'],
      env: { ...baseEnv, AWS_ENDPOINT_URL_STS: sts.url },
    },
  ];
  const awsVersion = await timed('aws', ['--version'], baseEnv, dir).catch(() => undefined);
  if (awsVersion?.code === 0) {
    cases.push({
      name: 'aws sts get-caller-identity',
      command: 'aws',
      args: ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--output', 'json'],
      env: { ...baseEnv, ...keyEnv },
    });
  } else {
    console.log('The AWS CLI (`aws`) is not on PATH: skipping that baseline.');
  }

  // One untimed round warms the disk cache for every command alike, and proves each one works.
  for (const c of cases) {
    const run = await timed(c.command, c.args, c.env, dir);
    if (run.code !== 0) throw new Error(`${c.name} failed (exit ${run.code}):\n${run.output}`);
  }
  const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(r + i) % cases.length];
      const run = await timed(c.command, c.args, c.env, dir);
      if (run.code !== 0) throw new Error(`${c.name} failed (exit ${run.code}):\n${run.output}`);
      samples[c.name].push(run.ms);
    }
  }

  const results = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, stats(s)]));
  const ratio = (a, b) =>
    results[a] && results[b] ? Math.round((results[a].median / results[b].median) * 100) / 100 : null;
  const ratios = {
    'check / aws sts get-caller-identity': ratio('cred-supervisor check', 'aws sts get-caller-identity'),
    'check / node -e 0': ratio('cred-supervisor check', 'node -e 0'),
    '--version / node -e 0': ratio('cred-supervisor --version', 'node -e 0'),
  };

  console.log(
    `${runs} interleaved runs each against the loopback STS (${os.cpus().length} CPUs, node ${process.version})`,
  );
  console.log(
    `${'command'.padEnd(30)} ${'median'.padStart(9)} ${'p25-p75'.padStart(15)} ${'min-max'.padStart(15)}`,
  );
  for (const [name, s] of Object.entries(results)) {
    console.log(
      `${name.padEnd(30)} ${`${s.median}ms`.padStart(9)} ${`${s.p25}-${s.p75}`.padStart(15)} ${`${s.min}-${s.max}`.padStart(15)}`,
    );
  }
  for (const [name, value] of Object.entries(ratios)) console.log(`${name.padEnd(40)} ${value ?? 'n/a'}`);

  const out = path.join(root, 'bench/results/check.json');
  await mkdir(path.dirname(out), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    runs,
    node: process.version,
    cpus: os.cpus().length,
    awsCli: awsVersion?.code === 0 ? awsVersion.output.trim() : null,
    resultsMs: results,
    ratios,
  };
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  await sts.close();
  await rm(dir, { recursive: true, force: true });
}
