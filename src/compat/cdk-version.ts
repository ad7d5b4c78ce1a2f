/**
 * The version of the CDK CLI a command will run: releases before 2.172 resolve credentials once and
 * never ask again (aws-cdk PR 32354 added the refresh), so the endpoint's rotations never reach them.
 * Read from the package.json next to the resolved binary (no process started), else `cdk --version`
 * with a short time limit.
 */
import { execFile } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';

export interface CdkVersion {
  version: string;
  /** Where it was read. */
  from: 'package.json' | '--version';
}

/** The first release that refreshes credentials while it runs. */
export const CDK_MID_RUN_REFRESH = '2.172.0';

/** Package names the CDK CLI has shipped under. */
const CDK_PACKAGES = new Set(['aws-cdk', '@aws-cdk/cli']);
const VERSION_TIMEOUT_MS = 5000;

/** `x.y.z` (any suffix ignored) as numbers, or undefined when it is not a version. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function isVersionAtLeast(version: string, minimum: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(minimum);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

async function versionFromPackageJson(binary: string): Promise<string | undefined> {
  let dir = path.dirname(await realpath(binary).catch(() => binary));
  for (let depth = 0; depth < 4; depth++) {
    try {
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (typeof pkg.name === 'string' && CDK_PACKAGES.has(pkg.name) && typeof pkg.version === 'string') {
        return pkg.version;
      }
    } catch {
      // No package.json here (or not JSON): look one folder up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function versionFromCli(binary: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['--version'],
      { timeout: VERSION_TIMEOUT_MS, env: { ...env, CDK_DISABLE_CLI_TELEMETRY: '1' } },
      (error, stdout, stderr) => {
        const text = `${stdout}\n${stderr}`;
        const version = parseVersion(text);
        resolve(error && !version ? undefined : version ? version.join('.') : undefined);
      },
    );
  });
}

/** The CDK CLI version of the resolved binary `binary`, or undefined when neither way tells. */
export async function findCdkVersion(
  binary: string,
  env: NodeJS.ProcessEnv,
): Promise<CdkVersion | undefined> {
  const fromPackage = await versionFromPackageJson(binary);
  if (fromPackage) return { version: fromPackage, from: 'package.json' };
  const fromCli = await versionFromCli(binary, env);
  return fromCli ? { version: fromCli, from: '--version' } : undefined;
}
