/**
 * What each command of the built CLI loads: the files of dist/ it imports (recorded by a module hook),
 * mapped back to the sources and packages bundled into them (dist/meta.json, esbuild's chunk graph).
 * A command must not pay, at every call, for code it never runs.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBoot, processStartTime } from '../../src/process/liveness.js';
import { assertBuilt, CLI } from '../support/built-cli.js';
import { FakeSts } from '../support/fake-sts.js';
import { envLines } from '../support/sandbox.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const RECORDER = fileURLToPath(new URL('./fixtures/record-imports.mjs', import.meta.url));

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

let meta: Meta;
let sts: FakeSts;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  meta = JSON.parse(await readFile(path.join(DIST, 'meta.json'), 'utf8')) as Meta;
  sts = await FakeSts.start();
  dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-lazy-'));
});
afterAll(async () => {
  await sts?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The files of dist/ a run of the CLI loaded (`cli/main.cjs`, `chunks/…`). */
async function filesLoadedBy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const record = path.join(dir, `imports-${args.join('-').replace(/\W+/g, '_')}.txt`);
  await writeFile(record, '');
  await execa(process.execPath, ['--import', RECORDER, CLI, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
      AWS_ENDPOINT_URL_STS: sts.url,
      RECORD_IMPORTS_TO: record,
      ...env,
    },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  const urls = (await readFile(record, 'utf8')).split('\n').filter(Boolean);
  const files = urls.map((url) =>
    path.relative(path.dirname(DIST), fileURLToPath(url)).split(path.sep).join('/'),
  );
  return [...new Set(files)].filter((file) => meta.outputs[file] !== undefined);
}

/** Every file bundled into the files a run loaded (`src/…`, `node_modules/zod/v4/mini/…`). */
async function inputsLoadedBy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Set<string>> {
  const inputs = new Set<string>();
  for (const file of await filesLoadedBy(args, env)) {
    for (const input of Object.keys(meta.outputs[file]?.inputs ?? {})) inputs.add(input);
  }
  return inputs;
}

/** `zod` for `node_modules/zod/v4/mini/index.js`; a source (`src/…`) as it is. */
const packageOrSource = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input;

/** The sources (`src/…`) and packages (`zod`, `@aws-sdk/client-sts`) bundled into the files a run loaded. */
async function loadedBy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Set<string>> {
  return new Set([...(await inputsLoadedBy(args, env))].map(packageOrSource));
}

const packages = (loaded: Set<string>) => [...loaded].filter((name) => !name.startsWith('src/')).sort();
const HEAVY = ['zod', 'node-cron', 'chokidar', 'jsonc-parser', 'execa', 'pino', 'commander'];

describe('what each command loads', () => {
  // main.cjs holds the quick answers' own small code (quick-status and the few modules it reads
  // with): no other file, no package.
  it('--version and -v: main.cjs alone', async () => {
    for (const flag of ['--version', '-v']) {
      expect(await filesLoadedBy([flag])).toEqual(['dist/cli/main.cjs']);
      expect(packages(await loadedBy([flag]))).toEqual([]);
    }
  });

  it('status --format tmux: main.cjs alone, no package at all, not even the argument parser', async () => {
    // A running supervisor's record (this test process stands in for it) and its segment.
    const stateDir = path.join(dir, '.cred-supervisor');
    await mkdir(stateDir, { recursive: true });
    const boot = currentBoot();
    const record = { version: 1, pid: process.pid, pidStartTicks: processStartTime(process.pid) };
    await writeFile(
      path.join(stateDir, 'state.json'),
      JSON.stringify({ ...record, bootId: boot.bootId, bootTime: boot.bootTime }),
    );
    await writeFile(path.join(stateDir, 'status-segment'), '☁ 1234…9012 42m\n');
    expect(await filesLoadedBy(['status', '--format', 'tmux'])).toEqual(['dist/cli/main.cjs']);
    const loaded = await loadedBy(['status', '--format', 'tmux']);
    expect(loaded.has('src/cli/quick-status.ts')).toBe(true);
    expect(packages(loaded)).toEqual([]);
    await rm(stateDir, { recursive: true });
  });

  it('stop and reload: no AWS SDK, node-cron, chokidar, config parser or child-process library', async () => {
    for (const command of ['stop', 'reload']) {
      const loaded = await loadedBy([command]);
      expect(loaded.has(`src/cli/commands/run-${command}.ts`)).toBe(true);
      const forbidden = packages(loaded).filter(
        (name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/') || HEAVY.includes(name),
      );
      // zod comes with the program's flag checks (cli/shared-options.ts imports config/option-rules.ts
      // for every command), not from the control protocol or state record, which are checked by hand.
      expect(forbidden).toEqual(['commander', 'zod']);
      expect([...loaded].filter((name) => name.startsWith('src/config/config-file'))).toEqual([
        'src/config/config-file-names.ts',
      ]);
    }
  });

  it('check: the STS client, and the profile providers only for a profile', async () => {
    const key = sts.issueKey();
    const credentialsFile = path.join(dir, 'credentials.env');
    await writeFile(credentialsFile, `${envLines(key).join('\n')}\n`, { mode: 0o600 });
    const fromFile = packages(await loadedBy(['check', '--credentials-file', credentialsFile]));
    expect(fromFile).toContain('@aws-sdk/client-sts');
    expect(
      fromFile.filter((name) => /credential-provider-(ini|sso|process|web-identity)/.test(name)),
    ).toEqual([]);
    expect(fromFile).not.toContain('chokidar');
    expect(fromFile).not.toContain('pino');

    const config = path.join(dir, 'aws-config');
    await writeFile(config, '[profile dev]\nregion = us-east-1\n');
    const shared = path.join(dir, 'aws-credentials');
    await writeFile(
      shared,
      `[dev]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\naws_session_token = ${key.sessionToken}\n`,
    );
    const fromProfile = packages(
      await loadedBy(['check', '--profile', 'dev'], {
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: shared,
      }),
    );
    expect(fromProfile).toContain('@aws-sdk/credential-provider-ini');
  });
  it('watch from a credentials file: no profile providers, SSO-OIDC client, execa or config parser', async () => {
    const project = path.join(dir, 'watch-project');
    await mkdir(project, { recursive: true });
    const credentialsFile = path.join(project, 'credentials.env');
    await writeFile(credentialsFile, `${envLines(sts.issueKey()).join('\n')}\n`, { mode: 0o600 });
    // The child exits at once, and watch with it: everything a supervisor loads to start, verify and
    // run a child is recorded, and each of these is only loaded where it serves (--profile, an SSO
    // login or refresh, a tmux popup, a config file).
    const inputs = await inputsLoadedBy([
      'watch',
      '--credentials-file',
      credentialsFile,
      '--state-dir',
      path.join(project, '.cred-supervisor'),
      '--',
      process.execPath,
      '-e',
      '0',
    ]);
    const loaded = new Set([...inputs].map(packageOrSource));
    expect(loaded.has('src/watch/run-watch.ts')).toBe(true);
    expect(loaded.has('src/child/spawn-child.ts')).toBe(true);
    const names = packages(loaded);
    expect(names).toContain('@aws-sdk/client-sts');
    expect(names.filter((name) => /credential-provider-(ini|sso|process|web-identity)/.test(name))).toEqual(
      [],
    );
    expect(
      names.filter((name) => ['@aws-sdk/credential-providers', '@aws-sdk/client-sso-oidc'].includes(name)),
    ).toEqual([]);
    expect(names).not.toContain('execa');
    expect(names).not.toContain('jsonc-parser');
    // zod's functional build only (the method-chaining zod/v4/classic brings every locale), with
    // the English messages the process config shows.
    const zod = [...inputs].filter((input) => input.includes('node_modules/zod/'));
    expect(zod.some((file) => file.includes('/v4/mini/'))).toBe(true);
    expect(zod.filter((file) => file.includes('/v4/classic/'))).toEqual([]);
    expect(zod.filter((file) => /\/locales\/(?!en\.js$|index\.js$)/.test(file))).toEqual([]);
  });
});
