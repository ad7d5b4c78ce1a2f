/**
 * Which credentials (docs/usage.md "Credentials"), explicit beats implicit and the choice is visible:
 * 1. What the person named: `--profile` and/or `--credentials-file` (flag or config). With both, both
 *    are sources and the freshest wins.
 * 2. Otherwise the profile the child's own tool will use (cdk.json's `profile`, the command's
 *    `--profile`): it is the source, as if `--profile` were given. A conflicting explicit choice is
 *    refused naming both.
 * 3. Otherwise the default credentials file, if it has content.
 * 4. Otherwise the environment (keys, then AWS_PROFILE).
 * With a profile in play, the default credentials file is still read when it has content, and the
 * freshest of the two wins: a stale or empty file never silently beats the profile. A source that was
 * skipped is named in `notes`, with why.
 */

import { type ProjectProfile, projectProfileConflict } from '../config/project-profile.js';
import { registerCredentialSecrets } from '../logging/redact.js';
import { type EnvSourceOptions, readEnvironmentCredentials } from './env-source.js';
import { CredentialProblem } from './errors.js';
import { type ReadCredentialsFileOptions, readCredentialsFile } from './file-source.js';
import { exportCredentialsCommand } from './fix-commands.js';
import type { MfaCodePrompt } from './mfa-prompt.js';
import { type ProfileSourceOptions, resolveProfileCredentials } from './profile-source.js';
import type { ResolvedCredentials } from './types.js';

export interface ResolveCredentialsOptions {
  credentialsFile: string;
  /** The person named the credentials file (flag or config), rather than it being the default. */
  credentialsFileExplicit?: boolean | undefined;
  profile?: string;
  /** The profile cdk.json or the command names; used when no profile was chosen. */
  projectProfile?: ProjectProfile | undefined;
  region?: string;
  /** Asks for an MFA code on the terminal; leave it out when none is attached. */
  promptMfaCode?: MfaCodePrompt;
  /** The supervisor's environment, for source 3 (process.env by default). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** The three sources, replaceable in tests. */
export interface CredentialSourceReaders {
  readFile: (filePath: string, options: ReadCredentialsFileOptions) => Promise<ResolvedCredentials>;
  resolveProfile: (options: ProfileSourceOptions) => Promise<ResolvedCredentials>;
  readEnvironment: (options: EnvSourceOptions) => Promise<ResolvedCredentials>;
}

const DEFAULT_READERS: CredentialSourceReaders = {
  readFile: readCredentialsFile,
  resolveProfile: resolveProfileCredentials,
  readEnvironment: readEnvironmentCredentials,
};

function isNotFound(error: unknown): error is CredentialProblem {
  return error instanceof CredentialProblem && error.code === 'NOT_FOUND';
}

/**
 * Throws the chosen source's CredentialProblem, or NOT_FOUND listing what was tried. The secrets of
 * what it returns are registered with the redactor here, where they enter the program: every command
 * (check included) then has them removed from whatever it prints or logs.
 */
export async function resolveCredentials(
  options: ResolveCredentialsOptions,
  readers: Partial<CredentialSourceReaders> = {},
): Promise<ResolvedCredentials> {
  const resolved = await resolveFromSources(options, readers);
  registerCredentialSecrets(resolved.credentials);
  return resolved;
}

async function resolveFromSources(
  options: ResolveCredentialsOptions,
  readers: Partial<CredentialSourceReaders>,
): Promise<ResolvedCredentials> {
  const { readFile, resolveProfile, readEnvironment } = { ...DEFAULT_READERS, ...readers };
  const now = options.now ?? (() => new Date());
  const shared = {
    now,
    credentialsFile: options.credentialsFile,
    ...(options.region && { region: options.region }),
    ...(options.promptMfaCode && { promptMfaCode: options.promptMfaCode }),
  };
  const project = options.projectProfile;
  refuseConflict(options, project);
  const profile = options.profile ?? project?.name;
  if (profile) {
    const fromProject = options.profile === undefined && project !== undefined;
    const readProfile = async () => {
      const resolved = await resolveProfile({ ...shared, profile });
      return fromProject ? namedBy(resolved, project) : resolved;
    };
    return freshestOf(() => readFile(options.credentialsFile, { now }), readProfile, {
      fileExplicit: options.credentialsFileExplicit === true,
      now: now(),
      file: options.credentialsFile,
    });
  }

  const tried: string[] = [];
  try {
    return await readFile(options.credentialsFile, { now });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    tried.push(`the file (${error.problem.replace(/\.$/, '')})`);
  }
  tried.push('--profile (not given)');

  try {
    return await readEnvironment({ ...shared, env: options.env ?? process.env });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    tried.push(
      `the environment (${error.problem.replace(/^The environment has /, 'it has ').replace(/\.$/, '')})`,
    );
  }

  throw new CredentialProblem(
    'NOT_FOUND',
    `No credentials found. Tried ${tried.join('; ')}.`,
    `Write the file, e.g. ${exportCredentialsCommand(options.credentialsFile)}, or pass --profile NAME.`,
  );
}

/** cdk.json (or the command) names a profile, and the person named another source: refuse, naming both. */
function refuseConflict(options: ResolveCredentialsOptions, project: ProjectProfile | undefined): void {
  const conflict = projectProfileConflict(options, project);
  if (conflict) throw new CredentialProblem('PROFILE_FAILED', conflict.problem, conflict.fix);
}

function namedBy(resolved: ResolvedCredentials, project: ProjectProfile): ResolvedCredentials {
  return {
    ...resolved,
    source: { ...resolved.source, description: `${resolved.source.description} (named by ${project.from})` },
  };
}

type Outcome = { ok: true; resolved: ResolvedCredentials } | { ok: false; error: unknown };

async function attempt(read: () => Promise<ResolvedCredentials>): Promise<Outcome> {
  try {
    return { ok: true, resolved: await read() };
  } catch (error) {
    return { ok: false, error };
  }
}

function expiry(resolved: ResolvedCredentials): number {
  return resolved.credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
}

function why(error: unknown): string {
  if (error instanceof CredentialProblem) return error.problem.replace(/\.$/, '');
  return error instanceof Error ? error.message : String(error);
}

/**
 * A profile is in play: it and the credentials file (when named, or when it has content) are both
 * sources; the one whose credentials live longer wins, and the one skipped is said, with why.
 */
async function freshestOf(
  readFileSource: () => Promise<ResolvedCredentials>,
  readProfileSource: () => Promise<ResolvedCredentials>,
  context: { fileExplicit: boolean; now: Date; file: string },
): Promise<ResolvedCredentials> {
  const file = await attempt(readFileSource);
  // A file that is there but unsafe or malformed is reported, not skipped: the person wrote it for a
  // reason. Only an absent, empty (half-written) or expired one gives way to the profile.
  if (!file.ok && !isSkippable(file.error)) throw file.error;
  const profile = await attempt(readProfileSource);
  if (!file.ok && isNotFound(file.error) && !context.fileExplicit) {
    if (profile.ok) return profile.resolved;
    throw profile.error;
  }
  if (file.ok && profile.ok) {
    // A tie goes to the file, the source the person rewrites.
    const profileFresher = expiry(profile.resolved) > expiry(file.resolved);
    const [winner, loser] = profileFresher ? [profile, file] : [file, profile];
    return withNote(winner.resolved, `${loser.resolved.source.description} was not used: it expires sooner`);
  }
  if (profile.ok && !file.ok) {
    return withNote(profile.resolved, `the credentials file ${context.file} was skipped: ${why(file.error)}`);
  }
  if (file.ok && !profile.ok) {
    return withNote(file.resolved, `the profile was skipped: ${why(profile.error)}`);
  }
  // Neither works: the profile's problem (it is what the person or the project named) unless the file
  // was named explicitly.
  throw context.fileExplicit ? (file as { error: unknown }).error : (profile as { error: unknown }).error;
}

function isSkippable(error: unknown): boolean {
  if (!(error instanceof CredentialProblem)) return false;
  return error.code === 'NOT_FOUND' || error.code === 'NOT_READY' || error.code === 'EXPIRED';
}

function withNote(resolved: ResolvedCredentials, note: string): ResolvedCredentials {
  return { ...resolved, notes: [...(resolved.notes ?? []), note] };
}
