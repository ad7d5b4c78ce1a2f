/**
 * The status segment tmux shows: what each call costs in CPU, and what that adds up to at tmux's
 * `status-interval 5` (720 calls an hour) — the line is redrawn all day, so this is a steady cost.
 *
 * Subjects, against a running supervisor: `cred-supervisor status --format tmux` (answered from the
 * segment file the supervisor keeps by the executable alone, dist/cli/main.cjs), and `cat` of that file
 * (what scripts/dev-loop.sh puts in status-right). Baseline: `node -e 0`, Node's own start-up.
 *
 * CPU is the kernel's count for the whole process tree: each round runs a command N times in a `sh`
 * loop and reads the shell's cutime + cstime (its waited-for children's CPU) from /proc, so
 * sub-tick calls still add up. Rounds rotate the order of the commands.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { cliPath } from './lib/dist.mjs';
import { clockTicksPerSecond } from './lib/proc.mjs';
import { startSupervisor, waitFor } from './lib/processes.mjs';
import { createProject } from './lib/project.mjs';
import { ratio, round, summarize } from './lib/stats.mjs';

export const id = 'status-segment';
export const title = 'Status segment';

const run = promisify(execFile);
const INTERVAL_S = 5;

/** CPU seconds per call of `argv`, over `calls` calls in one `sh` loop. */
async function cpuPerCall(argv, { calls, cwd, env }) {
  const quoted = argv.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `i=0; while [ $i -lt ${calls} ]; do ${quoted} >/dev/null 2>&1 || exit 9; i=$((i+1)); done; cat /proc/$$/stat`;
  const { stdout } = await run('/bin/sh', ['-c', script], { cwd, env });
  // cutime and cstime, fields 16 and 17, counted from after the command name's last `)`.
  const fields = stdout.slice(stdout.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[16 - 3]) + Number(fields[17 - 3]);
  return ticks / clockTicksPerSecond() / calls;
}

export async function run_({ sts, quick, log }) {
  const rounds = quick ? 3 : 7;
  const calls = quick ? 10 : 20;
  const project = await createProject({ sts, key: sts.issueKey({ ttlMs: 3_600_000 }), name: 'segment' });
  const supervisor = startSupervisor(project, { command: ['sleep', '3600'] });
  try {
    const segmentFile = path.join(project.stateDir, 'status-segment');
    await waitFor(() => existsSync(segmentFile), { timeoutMs: 30_000, what: 'the status segment file' });
    const cases = [
      { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
      {
        name: 'cred-supervisor status --format tmux',
        argv: [process.execPath, cliPath, 'status', '--format', 'tmux'],
      },
      { name: 'cat <segment file>', argv: ['cat', segmentFile] },
    ];
    const options = { calls, cwd: project.dir, env: project.env };
    for (const c of cases) await cpuPerCall(c.argv, { ...options, calls: 2 });
    const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(r + i) % cases.length];
        samples[c.name].push((await cpuPerCall(c.argv, options)) * 1000);
      }
    }
    const ms = Object.fromEntries(
      Object.entries(samples).map(([name, s]) => [name, summarize(s, { digits: 2 })]),
    );
    for (const [name, s] of Object.entries(ms)) log(`  ${name}: median ${s.median} CPU ms per call`);
    // CPU ms per call → % of a core at one call every INTERVAL_S seconds.
    const perCore = (s) => ({
      ...s,
      median: round(s.median / 10 / INTERVAL_S, 3),
      min: round(s.min / 10 / INTERVAL_S, 3),
      max: round(s.max / 10 / INTERVAL_S, 3),
    });
    const node = ms['node -e 0'];
    const status = ms['cred-supervisor status --format tmux'];
    const cat = ms['cat <segment file>'];
    const statusRatio = ratio(status.median, node.median);
    const catCore = perCore(cat);
    const statusCore = perCore(status);
    return {
      id,
      title,
      figures: [
        {
          name: '`status --format tmux`, CPU per call',
          unit: 'CPU ms',
          subject: { label: '`status --format tmux`', ...status },
          baseline: { label: '`node -e 0`', ...node },
          ratio: statusRatio,
          ratioOf: 'subject / baseline (medians)',
          goal: { text: 'ratio ≤ 1.3', met: statusRatio <= 1.3 },
        },
        {
          name: `tmux segment at status-interval ${INTERVAL_S}: \`cat\` of the segment file`,
          unit: '% of a core',
          subject: { label: '`cat`', ...catCore },
          baseline: { label: '`node -e 0` every 5 s', ...perCore(node) },
          ratio: ratio(catCore.median, perCore(node).median),
          ratioOf: 'subject / baseline (medians)',
          goal: { text: '≤ 0.5 % of a core', met: catCore.median <= 0.5 },
        },
        {
          name: `tmux segment at status-interval ${INTERVAL_S}: \`status --format tmux\``,
          unit: '% of a core',
          subject: { label: '`status --format tmux`', ...statusCore },
          baseline: { label: '`node -e 0` every 5 s', ...perCore(node) },
          ratio: ratio(statusCore.median, perCore(node).median),
          ratioOf: 'subject / baseline (medians)',
          goal: null,
        },
      ],
      details: { rounds, calls, intervalSeconds: INTERVAL_S },
      notes: [
        `${rounds} rotating rounds of ${calls} calls per command, CPU from the kernel (user + system of the whole process, 10 ms ticks summed over the calls); against a running supervisor.`,
        `Per hour at status-interval ${INTERVAL_S} (720 calls): \`cat\` ${round((cat.median * 720) / 1000, 2)} CPU s, \`status --format tmux\` ${round((status.median * 720) / 1000, 1)} CPU s, \`node -e 0\` ${round((node.median * 720) / 1000, 1)} CPU s. The supervisor rewrites the segment once a minute (every 5 s in the last minute before expiry) and on each change of state.`,
      ],
    };
  } finally {
    await supervisor.stop();
    await project.cleanup();
  }
}

export { run_ as run };
