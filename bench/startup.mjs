/**
 * Start-up: how long `cred-supervisor --version` and `cred-supervisor check` take, next to `node -e 0`
 * (Node's own start-up, the floor for --version, which dist/cli/main.cjs answers alone) and `aws sts get-caller-identity` (the AWS CLI doing
 * the same STS call as check). All run against the loopback STS in this process, round by round in a
 * rotating order so drift on a busy machine hits them alike. Each run is timed from spawn to exit.
 * (This was bench/check-vs-aws-cli.mjs; `node bench/run.mjs --only startup` runs it alone.)
 */
import { cliPath } from './lib/dist.mjs';
import { timeCommand } from './lib/processes.mjs';
import { createProject } from './lib/project.mjs';
import { ratio, summarize } from './lib/stats.mjs';

export const id = 'startup';
export const title = 'Start-up';

export async function run({ sts, quick, log }) {
  const runs = quick ? 3 : 10;
  const key = sts.issueKey({ ttlMs: 3_600_000 });
  const project = await createProject({ sts, key, name: 'startup' });
  try {
    const { AWS_ENDPOINT_URL_STS: _sts, ...noSts } = project.env;
    const cases = [
      { name: 'node -e 0', command: process.execPath, args: ['-e', '0'], env: noSts },
      {
        name: 'cred-supervisor --version',
        command: process.execPath,
        args: [cliPath, '--version'],
        env: noSts,
      },
      {
        name: 'cred-supervisor check',
        command: process.execPath,
        args: [cliPath, 'check'],
        env: project.env,
      },
    ];
    const awsVersion = await timeCommand('aws', ['--version'], { env: noSts, cwd: project.dir }).catch(
      () => undefined,
    );
    const awsCli = awsVersion?.code === 0 ? awsVersion.output.trim() : null;
    if (awsCli) {
      cases.push({
        name: 'aws sts get-caller-identity',
        command: 'aws',
        args: ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--output', 'json'],
        env: {
          ...noSts,
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
          AWS_SESSION_TOKEN: key.sessionToken,
        },
      });
    } else {
      log('  the AWS CLI (`aws`) is not on PATH: that baseline is skipped');
    }

    const runCase = async (c) => {
      const result = await timeCommand(c.command, c.args, { env: c.env, cwd: project.dir });
      if (result.code !== 0)
        throw new Error(`Expected \`${c.name}\` to exit 0, got ${result.code}:\n${result.output}`);
      return result.ms;
    };
    // One untimed round warms the disk cache for every command alike, and proves each one works.
    for (const c of cases) await runCase(c);
    const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
    for (let r = 0; r < runs; r++) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(r + i) % cases.length];
        samples[c.name].push(await runCase(c));
      }
    }
    const stats = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summarize(s)]));
    for (const [name, s] of Object.entries(stats)) log(`  ${name}: median ${s.median} ms`);

    const figure = (name, subject, baseline, goal) => {
      const value = stats[baseline] ? ratio(stats[subject].median, stats[baseline].median) : null;
      return {
        name,
        unit: 'ms',
        subject: { label: `\`${subject}\``, ...stats[subject] },
        baseline: stats[baseline] ? { label: `\`${baseline}\``, ...stats[baseline] } : null,
        ratio: value,
        ratioOf: 'subject / baseline (medians)',
        goal:
          goal && value !== null
            ? { text: goal.text, met: goal.met(value) }
            : goal
              ? { text: goal.text, met: null }
              : null,
      };
    };
    return {
      id,
      title,
      figures: [
        figure('`--version`', 'cred-supervisor --version', 'node -e 0', {
          text: 'ratio ≤ 1.2',
          met: (r) => r <= 1.2,
        }),
        figure('`check` (local STS)', 'cred-supervisor check', 'aws sts get-caller-identity', {
          text: 'ratio ≤ 0.35',
          met: (r) => r <= 0.35,
        }),
        figure('`check` vs Node start-up', 'cred-supervisor check', 'node -e 0', null),
      ],
      details: { runs, awsCli },
      notes: [
        `${runs} interleaved rounds after one untimed warm-up round; spawn to exit.${awsCli ? ` AWS CLI: ${awsCli}.` : ' The AWS CLI was not installed: no baseline for check.'}`,
      ],
    };
  } finally {
    await project.cleanup();
  }
}
