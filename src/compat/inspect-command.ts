/**
 * Finds the facts `decideCredentialRoute` needs about the command `watch` would run: which binary it
 * is (resolved as `watch` would spawn it), the CDK CLI's version, and a profile named by the command's
 * own `--profile` or by cdk.json (the project's, then ~/.cdk.json).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveCommand } from '../child/resolve-command.js';
import type { Delivery } from '../config/options.js';
import { findCdkVersion } from './cdk-version.js';
import { type CredentialRoute, decideCredentialRoute, type RouteFacts } from './credential-route.js';

export interface InspectCommandInput {
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  delivery: Delivery;
  profile?: string | undefined;
}

/** `--profile X` or `--profile=X` before a `--`. */
export function profileFlagOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return undefined;
    if (arg === '--profile') return args[i + 1];
    if (arg.startsWith('--profile=')) return arg.slice('--profile='.length);
  }
  return undefined;
}

async function cdkJsonProfileIn(dir: string | undefined): Promise<string | undefined> {
  if (!dir) return undefined;
  try {
    const json = JSON.parse(await readFile(path.join(dir, 'cdk.json'), 'utf8')) as { profile?: unknown };
    return typeof json.profile === 'string' && json.profile !== '' ? json.profile : undefined;
  } catch {
    return undefined;
  }
}

export async function inspectCommand(
  input: InspectCommandInput,
): Promise<{ facts: RouteFacts; route: CredentialRoute }> {
  const [name = '', ...args] = input.command;
  let file: string | undefined;
  let resolvedArgs: readonly string[] = args;
  try {
    const resolved = resolveCommand({ command: name, args, cwd: input.cwd, env: input.env });
    file = resolved.file;
    resolvedArgs = resolved.args;
  } catch {
    // Not found: `watch` will say so; the route is still decided from what is known.
  }
  const isCdk = path.basename(file ?? name) === 'cdk';
  const facts: RouteFacts = {
    delivery: input.delivery,
    command: input.command,
    isCdk,
    cdkVersion: isCdk && file ? await findCdkVersion(file, input.env) : undefined,
    commandProfile: profileFlagOf(resolvedArgs),
    cdkJsonProfile: isCdk
      ? ((await cdkJsonProfileIn(input.cwd)) ?? (await cdkJsonProfileIn(input.env.HOME)))
      : undefined,
    profile: input.profile,
  };
  return { facts, route: decideCredentialRoute(facts) };
}
