/**
 * The profile the child's own tool will use whatever we serve: cdk.json's `"profile"` (the project's
 * cdk.json, nearest first walking up, then `~/.cdk.json`), or `--profile` in the command's arguments.
 * The CDK CLI given a profile builds its credentials from that profile alone, so it decides the
 * account and region the deploy will use.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface ProjectProfile {
  name: string;
  /** Where it was named: a cdk.json path, or `the command's --profile`. */
  from: string;
}

/** `--profile NAME` or `--profile=NAME` in the command's arguments, before any `--`. */
export function commandProfile(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    if (arg === '--profile') return args[i + 1] || undefined;
    if (arg.startsWith('--profile=')) return arg.slice('--profile='.length) || undefined;
  }
  return undefined;
}

async function profileIn(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = (JSON.parse(text) as { profile?: unknown }).profile;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  } catch {
    return undefined; // the CDK CLI reports a broken cdk.json itself
  }
}

/** The project's cdk.json (nearest walking up from `cwd`), then `~/.cdk.json`. */
export async function cdkJsonProfile(
  cwd: string,
  home: string = os.homedir(),
): Promise<ProjectProfile | undefined> {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'cdk.json');
    const name = await profileIn(file);
    if (name) return { name, from: file };
    if (path.dirname(dir) === dir) break;
  }
  const user = path.join(home, '.cdk.json');
  const name = await profileIn(user);
  return name ? { name, from: user } : undefined;
}

/** The command's `--profile` wins over cdk.json, as in the CDK CLI. */
export async function findProjectProfile(
  cwd: string,
  command: readonly string[] = [],
  home?: string,
): Promise<ProjectProfile | undefined> {
  const fromCommand = commandProfile(command);
  if (fromCommand) return { name: fromCommand, from: "the command's --profile" };
  return cdkJsonProfile(cwd, home);
}
