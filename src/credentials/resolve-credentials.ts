/**
 * The credential sources in their order: 1 the credentials file, if it exists; 2 `--profile`;
 * 3 the supervisor's own environment. A file that exists but is bad is reported, not skipped: the
 * person wrote it for a reason, and falling through to an old AWS_PROFILE would hide their mistake.
 * Likewise a `--profile` that fails is reported rather than replaced by the environment.
 */
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
  profile?: string;
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
  const tried: string[] = [];

  try {
    return await readFile(options.credentialsFile, { now });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    tried.push(`the file (${error.problem.replace(/\.$/, '')})`);
  }

  if (options.profile) return await resolveProfile({ ...shared, profile: options.profile });
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
