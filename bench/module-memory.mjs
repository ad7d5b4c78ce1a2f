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

/**
 * What the supervisor loads, and why it is (or is not) resident while `watch` runs. `load` is the
 * probe's entry, bundled as dist/ bundles it: by default the whole namespace of `name`; where the
 * supervisor imports only part of a package (zod/mini's tree-shaken validators), the supervisor's
 * own modules that import it, so the figure is what dist/ really holds.
 */
const MODULES = [
  { name: '@aws-sdk/client-sts', role: 'resident: the STS probe every minute and each verification' },
  {
    name: '@aws-sdk/credential-providers',
    role: 'only with --profile (SSO, assume-role, credential_process): imported on the first profile resolution',
  },
  {
    name: '@aws-sdk/client-sso-oidc',
    role: 'only for an SSO token refresh or the built-in SSO login: imported then',
  },
  {
    name: 'zod/mini',
    label: 'zod (zod/mini, as the option rules and the JSON credentials parser use it)',
    load: "import * as rules from './src/config/option-rules.ts'; import * as json from './src/credentials/parse-json-credentials.ts'; globalThis.keep = [rules, json];",
    role: "resident: flags, config file and JSON credentials share one rule set; zod's method-chaining build (every validator and locale) is no longer loaded",
  },
  { name: 'chokidar', role: 'resident: watches the credentials file' },
  { name: 'pino', role: 'resident: the log file' },
  { name: 'execa', role: 'only for a tmux popup or prompt and `aws sso login`: imported then' },
  { name: 'node-cron', role: 'resident: the probe schedule (imported, no schedule started)' },
  {
    name: 'Intl.DateTimeFormat',
    label: "ICU date data (`Intl.DateTimeFormat`, as node-cron's matcher uses it)",
    load: "globalThis.keep = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short', hour12: false }).formatToParts(new Date());",
    role: 'resident: node-cron formats every candidate time with Intl, even in the local zone (pages of the node binary)',
  },
  { name: 'commander', role: 'start-up only (argument parsing); ESM modules cannot be unloaded' },
  {
    name: 'jsonc-parser',
    role: 'only when a config file (or package.json#credSupervisor) exists: imported then',
  },
  { name: 'proper-lockfile', role: 'resident: the state-dir lock' },
  { name: 'strip-ansi', role: 'resident: detection of colored error lines' },
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

/** The module's probe entry bundled into one file in `dir`, as dist/ would hold it; its path. */
async function bundle({ name, load }, dir) {
  const outfile = path.join(dir, `${name.replace(/\W+/g, '_')}.mjs`);
  await build({
    stdin: {
      contents: load ?? `import * as m from '${name}'; globalThis.keep = m;`,
      resolveDir: root,
      loader: 'ts',
    },
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
  for (const module of MODULES) {
    const m = await sample(await bundle(module, dir));
    const row = {
      name: module.label ?? `\`${module.name}\``,
      role: module.role,
      rssMb: round((m.rss - base.rss) / 2 ** 20, 1),
      heapMb: round((m.heap - base.heap) / 2 ** 20, 1),
    };
    log(`  ${row.name}: +${row.rssMb} MB RSS, +${row.heapMb} MB heap`);
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
      `Bare Node after a full GC: ${round(base.rss / 2 ** 20, 1)} MB RSS. Added by importing each module alone, bundled as dist/ holds it (median of ${repeats}). The rows overlap and do not add up: each includes what loading any module file costs (strip-ansi is a few hundred bytes of code), and the SDK clients share @smithy/core.`,
      ...rows.map((r) => `${r.name}: +${r.rssMb} MB RSS (+${r.heapMb} MB heap) — ${r.role}`),
    ],
  };
}

export { run_ as run };
