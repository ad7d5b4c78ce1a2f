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

/** What the person chose explicitly (flags or the config file). */
export interface ExplicitChoice {
  profile?: string | undefined;
  credentialsFile: string;
  credentialsFileExplicit?: boolean | undefined;
}

/**
 * An explicit choice that cdk.json's (or the command's) profile contradicts: the CDK CLI would use
 * that profile alone, so whatever else was chosen would be verified and served to no effect. The one
 * rule: the CLI refuses it as a usage error before anything starts, resolving refuses it as well.
 */
export function projectProfileConflict(
  choice: ExplicitChoice,
  project: ProjectProfile | undefined,
): { problem: string; fix: string } | undefined {
  if (!project) return undefined;
  const other = choice.credentialsFileExplicit
    ? { named: `--credentials-file ${choice.credentialsFile}`, flag: '--credentials-file' }
    : choice.profile !== undefined && choice.profile !== project.name
      ? { named: `--profile ${choice.profile}`, flag: '--profile' }
      : undefined;
  if (!other) return undefined;
  return {
    problem:
      `${other.named} conflicts with profile ${project.name} named by ${project.from}: the CDK CLI uses that ` +
      'profile alone and ignores the credentials cred-supervisor serves.',
    fix: `Use one: remove "profile" from ${project.from} (or --profile from the command), or drop ${other.flag}.`,
  };
}
