/**
 * The suite's one sandbox project for the built CLI: a temp directory with its own HOME, AWS config
 * files that do not exist, STS pointed at the loopback fake, and the project's `.cred-supervisor/`
 * paths. Every CLI, watch and tmux test runs in one; nothing of the machine's AWS setup leaks in.
 */
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { type ExportableKey, exportLines } from '../../src/demo/export-lines.js';
import { assertBuilt, type CliRun, runCli } from './built-cli.js';
import { FakeSts } from './fake-sts.js';

/** Where and how `writeCredentials` writes: another file, or by an atomic rename as editors do. */
export type WriteTarget = string | { file?: string; atomic?: boolean };

export interface Sandbox {
  dir: string;
  home: string;
  /** `<dir>/.cred-supervisor`: state, log and the default credentials file. */
  stateDir: string;
  /** The default credentials file for `dir`. */
  credentialsFile: string;
  logFile: string;
  /** The whole environment of what runs in the sandbox (nothing inherited but PATH). */
  env: Record<string, string>;
  /**
   * Writes a credentials file (mode 600, its folder created): a key as
   * `aws configure export-credentials --format env` prints it, lines, or raw text.
   */
  writeCredentials(content: ExportableKey | readonly string[] | string, target?: WriteTarget): Promise<void>;
  /** Runs the CLI to completion in `cwd` (default: `dir`). */
  run(args: string[], extraEnv?: Record<string, string | undefined>, cwd?: string): Promise<CliRun>;
  cleanup(): Promise<void>;
}

export interface SandboxOptions {
  /** Create `.cred-supervisor/` (mode 700) now rather than at the first credentials write. */
  createStateDir?: boolean;
  /** Added to the sandbox's environment. */
  env?: Record<string, string>;
}

/** `aws configure export-credentials --format env` output for a key, as lines. */
export function envLines(key: ExportableKey): string[] {
  return exportLines(key).trimEnd().split('\n');
}

function credentialsText(content: ExportableKey | readonly string[] | string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return `${content.join('\n')}\n`;
  return exportLines(content as ExportableKey);
}

export async function createSandbox(stsUrl: string, options: SandboxOptions = {}): Promise<Sandbox> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-test-'));
  const home = path.join(dir, 'home');
  const stateDir = path.join(dir, '.cred-supervisor');
  await mkdir(home);
  if (options.createStateDir) await mkdir(stateDir, { mode: 0o700 });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: path.join(dir, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-such-aws-credentials'),
    AWS_ENDPOINT_URL_STS: stsUrl,
    ...options.env,
  };
  const credentialsFile = path.join(stateDir, 'credentials');
  let writes = 0;
  return {
    dir,
    home,
    stateDir,
    credentialsFile,
    logFile: path.join(stateDir, 'supervisor.log'),
    env,
    async writeCredentials(content, target = {}) {
      const { file = credentialsFile, atomic = false } =
        typeof target === 'string' ? { file: target } : target;
      const text = credentialsText(content);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // Atomic: what editors and `mv` do, the new content appears under the name in one step.
      const written = atomic ? `${file}.${process.pid}.${++writes}.tmp` : file;
      await writeFile(written, text, { mode: 0o600 });
      await chmod(written, 0o600);
      if (atomic) await rename(written, file);
    },
    run(args, extraEnv = {}, cwd = dir) {
      return runCli(args, cwd, { ...env, ...extraEnv });
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The hooks every CLI e2e file needs: the CLI built, a fresh fake STS and sandbox per test, both gone
 * after it. Read `sts` and `sandbox` inside the tests, or have `onEach` hand them to the file's own
 * variables before each test.
 */
export function useSandbox(
  onEach?: (context: { sts: FakeSts; sandbox: Sandbox }) => void | Promise<void>,
  stsOptions: Parameters<typeof FakeSts.start>[0] = {},
): { readonly sts: FakeSts; readonly sandbox: Sandbox } {
  const context = {} as { sts: FakeSts; sandbox: Sandbox };
  beforeAll(assertBuilt);
  beforeEach(async () => {
    context.sts = await FakeSts.start(stsOptions);
    context.sandbox = await createSandbox(context.sts.url);
    await onEach?.(context);
  });
  afterEach(async () => {
    await context.sts.close();
    await context.sandbox.cleanup();
  });
  return context;
}
