/**
 * Finds the facts `decideCredentialRoute` needs about the command `watch` would run: which binary it
 * is (resolved as `watch` would spawn it), the CDK CLI's version, and a profile named by the command's
 * own `--profile` or by cdk.json (config/project-profile.ts, as the credential sources find it).
 */
import path from 'node:path';
import { resolveCommand } from '../child/resolve-command.js';
import type { Delivery } from '../config/options.js';
import { cdkJsonProfile, commandProfile } from '../config/project-profile.js';
import { findCdkVersion } from './cdk-version.js';
import { type CredentialRoute, decideCredentialRoute, type RouteFacts } from './credential-route.js';

export interface InspectCommandInput {
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  delivery: Delivery;
  profile?: string | undefined;
}

/** `--profile X` or `--profile=X` before a `--` (the same reading as the credential sources'). */
export const profileFlagOf = commandProfile;

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
    // The same cdk.json the credential sources read (nearest walking up, then ~/.cdk.json).
    cdkJsonProfile: isCdk ? (await cdkJsonProfile(input.cwd, input.env.HOME || undefined))?.name : undefined,
    profile: input.profile,
  };
  return { facts, route: decideCredentialRoute(facts) };
}
