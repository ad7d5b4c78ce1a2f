/**
 * The supervisor's memory, module by module: what importing each package the supervisor loads adds to
 * a fresh Node process (RSS and V8 heap after a full GC, against the same process importing nothing),
 * and whether a running `watch` needs it resident or only at start-up. Each module is measured in its
 * own process, three times; the table is the median. Each module is bundled first with esbuild, the
 * way tools/build.mjs bundles dist/ (one file instead of many: loading a package from node_modules
 * file by file costs several MB more than the code itself), with its whole namespace kept (no tree
 * shaking); the figures are each module with its own dependencies (shared ones count in each).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { root } from './lib/dist.mjs';
import { median, round } from './lib/stats.mjs';

export const id = 'module-memory';
export const title = 'Supervisor memory by module';

const run = promisify(execFile);

/** What the supervisor loads, and why it is (or is not) resident while `watch` runs. */
const MODULES = [
  ['@aws-sdk/client-sts', 'resident: the STS probe every minute and each verification'],
  ['@aws-sdk/credential-providers', 'only with --profile (SSO, assume-role, credential_process)'],
  [
    'zod',
    'loaded at start-up by the config rules and the JSON credentials parser; the control protocol and state record are checked by hand',
  ],
  ['chokidar', 'resident: watches the credentials file'],
  ['pino', 'resident: the log file'],
  [
    'execa',
    'not loaded by any command any more: the child, the notifiers and the git check use node:child_process (a test dependency)',
  ],
  ['node-cron', 'resident: the probe schedule'],
  ['commander', 'start-up only (argument parsing); ESM modules cannot be unloaded'],
  ['jsonc-parser', 'start-up only (the config file); ESM modules cannot be unloaded'],
  ['proper-lockfile', 'resident: the state-dir lock'],
  ['strip-ansi', 'resident: detection of colored error lines'],
];

const PROBE = `
const before = process.argv[1] === '' ? null : await import(process.argv[1]);
globalThis.gc(); globalThis.gc();
const m = process.memoryUsage();
process.stdout.write(JSON.stringify({ rss: m.rss, heap: m.heapUsed, external: m.external }));
void before;
`;

async function measure(file) {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', PROBE, file], {
    cwd: root,
  });
  return JSON.parse(stdout);
}

const REQUIRE_BANNER =
  "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);";

/** `name` bundled into one file in `dir`, as dist/ would hold it; its path. */
async function bundle(name, dir) {
  const outfile = path.join(dir, `${name.replace(/\W+/g, '_')}.mjs`);
  await build({
    stdin: { contents: `import * as m from '${name}'; globalThis.keep = m;`, resolveDir: root },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    mainFields: ['module', 'main'],
    external: ['fsevents'],
    banner: { js: REQUIRE_BANNER },
    logLevel: 'silent',
  });
  return outfile;
}

export async function run_({ quick, log }) {
  const repeats = quick ? 1 : 3;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-module-memory-'));
  const sample = async (specifier) => {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(await measure(specifier));
    return { rss: median(runs.map((r) => r.rss)), heap: median(runs.map((r) => r.heap)) };
  };
  const base = await sample('');
  const rows = [];
  for (const [name, role] of MODULES) {
    const m = await sample(await bundle(name, dir));
    const row = {
      name,
      role,
      rssMb: round((m.rss - base.rss) / 2 ** 20, 1),
      heapMb: round((m.heap - base.heap) / 2 ** 20, 1),
    };
    log(`  ${name}: +${row.rssMb} MB RSS, +${row.heapMb} MB heap`);
    rows.push(row);
  }
  await rm(dir, { recursive: true, force: true });
  rows.sort((a, b) => b.rssMb - a.rssMb);
  return {
    id,
    title,
    figures: [],
    details: { baseRssMb: round(base.rss / 2 ** 20, 1), rows },
    notes: [
      `Bare Node after a full GC: ${round(base.rss / 2 ** 20, 1)} MB RSS. Added by importing each module alone, bundled as dist/ holds it (median of ${repeats}):`,
      ...rows.map((r) => `\`${r.name}\`: +${r.rssMb} MB RSS (+${r.heapMb} MB heap) — ${r.role}`),
    ],
  };
}

export { run_ as run };
