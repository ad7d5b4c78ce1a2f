/**
 * The README's marked shell blocks (` ```sh runnable=NAME `), run as typed, in the order a newcomer
 * follows them: install the packed tarball into a fresh CDK project, `init`, write the credentials
 * file, `check`, `watch` in a real tmux pane, the tmux status-right line, `stop`. Also `init`'s own
 * "Next:" commands.
 *
 * Nothing leaves the machine: npm installs through a local registry serving this repository's
 * package-lock (the tarballs come from the npm cache `npm ci` filled), and every AWS call (the AWS
 * CLI's, cred-supervisor's, the CDK CLI's) goes to the fake STS. The person's `dev` profile holds a
 * long-term key the fake STS knows.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCloudAssembly } from '../endpoint-e2e/project.js';
import { type LocalRegistry, startLocalRegistry } from '../package/local-registry.js';
import { FakeSts } from '../support/fake-sts.js';
import { assertBuilt, waitUntil } from '../support/watch-session.js';
import { fencedBlocks, REPO, readDoc, runnableName } from './markdown.js';

/** Every block the README marks runnable, by name; the test knows how to run each. */
const KNOWN = [
  'install',
  'init',
  'credentials-cli-v2',
  'credentials-cli-v1',
  'check',
  'watch',
  'stop',
  'tmux-status',
] as const;
type BlockName = (typeof KNOWN)[number];

const readme = fencedBlocks(readDoc('README.md'));
const marked = new Map(
  readme.flatMap((block) => {
    const name = runnableName(block);
    return name ? [[name, block.content] as const] : [];
  }),
);

function block(name: BlockName): string {
  const content = marked.get(name);
  if (content === undefined) throw new Error(`README.md has no block marked runnable=${name}`);
  return content;
}

/** `aws --version` names the major version first: `aws-cli/1.45.11 Python/…` (old v1s on stderr). */
const awsCliMajor = (() => {
  const version = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  return /^aws-cli\/(\d+)/.exec(`${version.stdout ?? ''}${version.stderr ?? ''}`.trim())?.[1];
})();

const AWS_CDK_VERSION = JSON.parse(readDoc('node_modules/aws-cdk/package.json')).version as string;
const NPM_CACHE = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();

let sts: FakeSts;
let registry: LocalRegistry;
let root: string;
let project: string;
let env: Record<string, string>;
const socket = `readme-${randomUUID().slice(0, 8)}`;
let client: ReturnType<typeof attachClient> | undefined;

/**
 * Runs shell text as a person pastes it into bash, in the project, with the usual umask 022 (so a
 * secret file written without `umask 077` is group/world-readable here too, and refused).
 */
function sh(text: string) {
  return execa('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', `umask 022\n${text}`], {
    cwd: project,
    env,
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 120_000,
  });
}

async function mustRun(name: string, text: string): Promise<string> {
  const run = await sh(text);
  expect(run.exitCode, `README block ${name} failed:\n${text}\n${run.all}`).toBe(0);
  return run.all ?? '';
}

function tmux(args: string[]) {
  return execa('tmux', ['-L', socket, ...args], { cwd: project, env, extendEnv: false, reject: false });
}

async function statusJson(): Promise<{ state?: string } | undefined> {
  const run = await sh('node_modules/.bin/cred-supervisor status --json');
  return run.exitCode === 0 ? JSON.parse(run.stdout) : undefined;
}

/**
 * A tmux client attached to the session on a terminal (util-linux `script` provides it): tmux runs
 * status-right's #() jobs only for a client, and draws the result on the client's terminal, which is
 * what this collects (escape sequences removed).
 */
function attachClient(): { screen(): string; stop(): void } {
  const client = execa('script', ['-qfc', `tmux -L ${socket} attach -t readme`, '/dev/null'], {
    cwd: project,
    env: { ...env, COLUMNS: '120', LINES: '40' },
    extendEnv: false,
    reject: false,
    stdin: 'pipe',
  });
  let drawn = '';
  client.stdout?.on('data', (chunk: Buffer) => {
    drawn += chunk.toString('utf8');
  });
  return {
    screen: () => stripAnsi(drawn),
    stop: () => client.kill('SIGKILL'),
  };
}

const CAN_ATTACH = (() => {
  try {
    return execFileSync('script', ['--version'], { encoding: 'utf8' }).includes('util-linux');
  } catch {
    return false;
  }
})();

/** PATH without this checkout's node_modules/.bin (npm test puts it first): the project's own tools. */
function pathOutsideRepo(): string {
  const repo = path.resolve(REPO);
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(path.delimiter)
    .filter((entry) => !path.resolve(entry).startsWith(repo))
    .join(path.delimiter);
}

beforeAll(async () => {
  assertBuilt();
  sts = await FakeSts.start();
  registry = await startLocalRegistry(path.join(REPO, 'package-lock.json'));
  root = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-readme-'));
  const home = path.join(root, 'home');
  project = path.join(root, 'my-cdk-app');

  // The clone next to the project, holding what `npm pack` writes (dist/ is fresh: `npm test` builds).
  const clone = path.join(root, 'cred-supervisor');
  await mkdir(clone);
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', clone], {
    cwd: REPO,
    stdio: 'ignore',
  });

  // What `cdk init` leaves: package.json with aws-cdk, cdk.json, a git repository. The app is a
  // ready cloud assembly, so `cdk watch` needs no aws-cdk-lib.
  await mkdir(project);
  await writeFile(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'my-cdk-app', version: '0.1.0', private: true, devDependencies: { 'aws-cdk': AWS_CDK_VERSION } }, null, 2)}\n`,
  );
  await writeCloudAssembly(project);
  await writeFile(path.join(project, '.gitignore'), 'node_modules\ncdk.out\n');
  execFileSync('git', ['init', '-q'], { cwd: project });

  // The person's AWS profile: a long-term key (what `get-session-token` needs), also as [default].
  const key = sts.issueKey({ prefix: 'AKIA', arn: `arn:aws:iam::123456789012:user/dev` });
  const keyLines = `aws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`;
  await mkdir(path.join(home, '.aws'), { recursive: true, mode: 0o700 });
  await writeFile(path.join(home, '.aws', 'credentials'), `[default]\n${keyLines}\n[dev]\n${keyLines}`, {
    mode: 0o600,
  });
  await writeFile(
    path.join(home, '.aws', 'config'),
    '[default]\nregion = eu-west-1\n\n[profile dev]\nregion = eu-west-1\n',
  );

  env = {
    PATH: pathOutsideRepo(),
    HOME: home,
    SHELL: '/bin/bash',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL: sts.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_HOME: path.join(root, 'cdk-home'),
    CDK_DISABLE_CLI_TELEMETRY: '1',
    CDK_DISABLE_VERSION_CHECK: '1',
    npm_config_registry: registry.url,
    npm_config_cache: NPM_CACHE,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
}, 60_000);

afterAll(async () => {
  client?.stop();
  await tmux(['kill-server']);
  if (project) await sh('node_modules/.bin/cred-supervisor stop --timeout 10s');
  await registry?.close();
  await sts?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

// The credentials blocks are AWS CLI commands: without any AWS CLI there is nothing to run them with.
describe.skipIf(awsCliMajor === undefined)(
  "the README's runnable blocks, as typed, in a fresh CDK project",
  () => {
    it('marks only blocks this test knows how to run', () => {
      expect([...marked.keys()].filter((name) => !(KNOWN as readonly string[]).includes(name))).toEqual([]);
    });

    it('install: the packed tarball installs as a devDependency, offline', async () => {
      await mustRun('install', block('install'));
      expect(registry.missedTarballs, 'tarballs missing from the npm cache').toEqual([]);
      const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8'));
      expect(Object.keys(manifest.devDependencies)).toContain('cred-supervisor');
    }, 180_000);

    it("init: sets the project up, and its Next: hint's commands work as typed", async () => {
      const output = await mustRun('init', block('init'));
      const next = output.slice(output.indexOf('Next:')).split('\n');
      const commands = next.filter((line) => line.startsWith('  ')).map((line) => line.trim());
      expect(commands).toContain('npx cred-supervisor watch');
      expect(block('watch')).toMatch(/^npx cred-supervisor watch(\s|$)/);
      const forThisCli = commands.find((line) => line.endsWith(`# AWS CLI v${awsCliMajor}`));
      expect(forThisCli, `init names a command for AWS CLI v${awsCliMajor}:\n${output}`).toBeDefined();
      await mustRun(`init's hint for AWS CLI v${awsCliMajor}`, forThisCli ?? '');
      await mustRun('check after the hint', 'npx cred-supervisor check');
    }, 60_000);

    it.skipIf(awsCliMajor !== '2')(
      'credentials-cli-v2: export-credentials writes the file',
      async () => {
        await mustRun('credentials-cli-v2', block('credentials-cli-v2'));
        await mustRun('check', block('check'));
      },
      60_000,
    );

    it('credentials-cli-v1: get-session-token writes a file check accepts', async () => {
      await sh('rm -f .cred-supervisor/credentials');
      await mustRun('credentials-cli-v1', block('credentials-cli-v1'));
      const output = await mustRun('check', block('check'));
      expect(output).toContain('Credentials OK');
    }, 60_000);

    it('watch: runs cdk watch under supervision in a tmux pane; the status line shows it', async () => {
      const started = await tmux([
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-s',
        'readme',
        '-x',
        '120',
        '-y',
        '40',
      ]);
      expect(started.exitCode, started.stderr).toBe(0);
      await tmux(['set', '-g', 'status-interval', '1']);
      await tmux(['send-keys', '-t', 'readme', '-l', block('watch').trim()]);
      await tmux(['send-keys', '-t', 'readme', 'Enter']);
      const pane = async () => (await tmux(['capture-pane', '-p', '-J', '-t', 'readme'])).stdout;
      await waitUntil(
        async () => (await statusJson())?.state === 'running',
        'status --json to say running; the pane',
        60_000,
        200,
      ).catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await pane()}`);
      });
      expect(await pane()).toMatch(/^\[cred-supervisor\] running · account 123456789012 · /m);

      // The line as it would sit in ~/.tmux.conf.
      const conf = path.join(root, 'tmux.conf');
      await writeFile(conf, block('tmux-status'));
      const sourced = await tmux(['source-file', conf]);
      expect(sourced.exitCode, sourced.stderr).toBe(0);
    }, 120_000);

    // tmux draws the status line only for an attached client, which needs a terminal (`script`).
    it.skipIf(!CAN_ATTACH)(
      'tmux-status: the status line shows the account and time left',
      async () => {
        client = attachClient();
        const drawn = client;
        await waitUntil(
          () => /☁ \d{4}…\d{4} \d+[hms]/.test(drawn.screen()),
          'the tmux status line to show the account and time left (like `☁ 1234…9012 42m`)',
          20_000,
          200,
        );
      },
      120_000,
    );

    it('stop: stops the supervisor and cdk watch', async () => {
      await mustRun('stop', block('stop'));
      expect(await statusJson()).toBeUndefined();
    }, 60_000);

    it.skipIf(!CAN_ATTACH)(
      'tmux-status: the status line then says no supervisor runs',
      async () => {
        const drawn = client;
        if (!drawn) throw new Error('Expected the tmux client attached by the test before');
        // tmux draws the status line when it changes, maybe already during `stop`: the last drawing
        // must be the new one.
        const lastDrawnOff = () => {
          const screen = drawn.screen();
          return screen.lastIndexOf('creds: off') > screen.lastIndexOf('☁');
        };
        await waitUntil(lastDrawnOff, 'the tmux status line to say "creds: off"', 20_000, 200);
      },
      60_000,
    );
  },
);
