/**
 * Runs the real built executable (`dist/cli/main.js`, so `npm run build` first) in an isolated
 * environment: a temp HOME and working directory, AWS config files that do not exist, and STS pointed
 * at the loopback fake.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`Expected the built CLI at ${CLI}; run \`npm run build\` first.`);
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  /** The default credentials file for `dir`. */
  credentialsFile: string;
  env: NodeJS.ProcessEnv;
  writeCredentials(lines: string[], file?: string): Promise<void>;
  /** Runs the CLI in `cwd` (default: `dir`). */
  run(args: string[], extraEnv?: NodeJS.ProcessEnv, cwd?: string): Promise<CliRun>;
  cleanup(): Promise<void>;
}

export async function createSandbox(stsUrl: string): Promise<Sandbox> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-cli-'));
  const home = path.join(dir, 'home');
  await mkdir(home);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: path.join(dir, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-such-aws-credentials'),
    AWS_ENDPOINT_URL_STS: stsUrl,
  };
  const credentialsFile = path.join(dir, '.cred-supervisor', 'credentials');
  return {
    dir,
    credentialsFile,
    env,
    async writeCredentials(lines, file = credentialsFile) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
    },
    async run(args, extraEnv = {}, cwd = dir) {
      const result = await execa(process.execPath, [CLI, ...args], {
        cwd,
        env: { ...env, ...extraEnv },
        extendEnv: false,
        reject: false,
        timeout: 20_000,
        stdin: 'ignore',
      });
      return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `aws configure export-credentials --format env` output for a key. */
export function envLines(key: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}): string[] {
  return [
    `export AWS_ACCESS_KEY_ID=${key.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${key.secretAccessKey}`,
    ...(key.sessionToken ? [`export AWS_SESSION_TOKEN=${key.sessionToken}`] : []),
    ...(key.expiration ? [`export AWS_CREDENTIAL_EXPIRATION=${key.expiration.toISOString()}`] : []),
  ];
}
