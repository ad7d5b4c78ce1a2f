/**
 * The supervisor's own environment, last in the order: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN / AWS_CREDENTIAL_EXPIRATION, else AWS_PROFILE resolved like `--profile`. Keys win
 * over AWS_PROFILE, as in the AWS SDK's default chain.
 */
import { maskAccessKeyId } from './access-key-id.js';
import { type SourcedValue, validateCredentialFields } from './credential-fields.js';
import { CredentialProblem } from './errors.js';
import type { MfaCodePrompt } from './mfa-prompt.js';
import { type ProfileSourceOptions, resolveProfileCredentials } from './profile-source.js';
import type { ResolvedCredentials } from './types.js';

export interface EnvSourceOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  promptMfaCode?: MfaCodePrompt;
  region?: string;
  credentialsFile?: string;
  /** Resolves AWS_PROFILE; the profile source unless a test passes another. */
  resolveProfile?: (options: ProfileSourceOptions) => Promise<ResolvedCredentials>;
}

const FIX = 'Fix or unset the AWS_* variables in the shell that starts cred-supervisor.';

function variable(env: NodeJS.ProcessEnv, name: string): SourcedValue<string> | undefined {
  const value = env[name];
  return value ? { value, where: `environment variable ${name}` } : undefined;
}

function fromKeys(env: NodeJS.ProcessEnv, now: Date): ResolvedCredentials {
  const accessKeyId = variable(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = variable(env, 'AWS_SECRET_ACCESS_KEY');
  if (!accessKeyId || !secretAccessKey) {
    const [set, unset] = accessKeyId
      ? ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']
      : ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'];
    throw new CredentialProblem('MISSING_FIELD', `The environment has ${set} but not ${unset}.`, FIX);
  }
  const sessionToken = variable(env, 'AWS_SESSION_TOKEN');
  const expiration = variable(env, 'AWS_CREDENTIAL_EXPIRATION');
  const credentials = validateCredentialFields(
    {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken && { sessionToken }),
      ...(expiration && { expiration }),
    },
    { now, sessionTokenName: 'environment variable AWS_SESSION_TOKEN', missingTokenCode: 'MISSING_FIELD' },
  );
  if (credentials instanceof CredentialProblem) throw credentials.about('environment', FIX);
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return {
    credentials,
    source: {
      kind: 'env',
      description: `environment (AWS_ACCESS_KEY_ID ${maskAccessKeyId(credentials.accessKeyId)})`,
    },
    ...(region && { region }),
  };
}

/** Throws CredentialProblem; `NOT_FOUND` when the environment has neither keys nor AWS_PROFILE. */
export async function readEnvironmentCredentials(
  options: EnvSourceOptions = {},
): Promise<ResolvedCredentials> {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  if (env.AWS_ACCESS_KEY_ID || env.AWS_SECRET_ACCESS_KEY) return fromKeys(env, now());
  const profile = env.AWS_PROFILE;
  if (!profile) {
    throw new CredentialProblem(
      'NOT_FOUND',
      'The environment has neither AWS_ACCESS_KEY_ID nor AWS_PROFILE.',
    );
  }
  const resolve = options.resolveProfile ?? resolveProfileCredentials;
  const resolved = await resolve({
    profile,
    now,
    ...(options.promptMfaCode && { promptMfaCode: options.promptMfaCode }),
    ...(options.region && { region: options.region }),
    ...(options.credentialsFile && { credentialsFile: options.credentialsFile }),
  });
  return {
    ...resolved,
    source: { kind: 'env', description: `environment AWS_PROFILE: ${resolved.source.description}`, profile },
  };
}
