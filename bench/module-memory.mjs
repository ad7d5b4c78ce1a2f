/**
 * The supervisor's memory, module by module: what importing each package the supervisor loads adds to
 * a fresh Node process (RSS and V8 heap after a full GC, against the same process importing nothing),
 * and whether a running `watch` needs it resident or only at start-up. Each module is measured in its
 * own process, three times; the table is the median. Modules load from node_modules as the bundle
 * would hold them; the figures are each module with its own dependencies (shared ones count in each).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { root } from './lib/dist.mjs';
import { median, round } from './lib/stats.mjs';

export const id = 'module-memory';
export const title = 'Supervisor memory by module';

const run = promisify(execFile);

/** What the supervisor loads, and why it is (or is not) resident while `watch` runs. */
const MODULES = [
  ['@aws-sdk/client-sts', 'resident: the STS probe every minute and each verification'],
  ['@aws-sdk/credential-providers', 'only with --profile (SSO, assume-role, credential_process)'],
  ['zod', 'resident: control protocol replies, state record, config rules'],
  ['chokidar', 'resident: watches the credentials file'],
  ['pino', 'resident: the log file'],
  ['execa', 'resident: spawns the child; also the git check of the credentials file'],
  ['node-cron', 'resident: the probe schedule'],
  ['commander', 'start-up only (argument parsing); ESM modules cannot be unloaded'],
  ['jsonc-parser', 'start-up only (the config file)'],
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

async function measure(specifier) {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--input-type=module', '-e', PROBE, specifier],
    {
      cwd: root,
    },
  );
  return JSON.parse(stdout);
}

export async function run_({ quick, log }) {
  const repeats = quick ? 1 : 3;
  const sample = async (specifier) => {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(await measure(specifier));
    return { rss: median(runs.map((r) => r.rss)), heap: median(runs.map((r) => r.heap)) };
  };
  const base = await sample('');
  const rows = [];
  for (const [name, role] of MODULES) {
    const m = await sample(name);
    const row = {
      name,
      role,
      rssMb: round((m.rss - base.rss) / 2 ** 20, 1),
      heapMb: round((m.heap - base.heap) / 2 ** 20, 1),
    };
    log(`  ${name}: +${row.rssMb} MB RSS, +${row.heapMb} MB heap`);
    rows.push(row);
  }
  rows.sort((a, b) => b.rssMb - a.rssMb);
  return {
    id,
    title,
    figures: [],
    details: { baseRssMb: round(base.rss / 2 ** 20, 1), rows },
    notes: [
      `Bare Node after a full GC: ${round(base.rss / 2 ** 20, 1)} MB RSS. Added by importing each module alone (median of ${repeats}):`,
      ...rows.map((r) => `\`${r.name}\`: +${r.rssMb} MB RSS (+${r.heapMb} MB heap) — ${r.role}`),
    ],
  };
}

export { run_ as run };
