/**
 * The environment the supervised child runs with, per `--delivery`.
 *
 * The SDK's default chain (`@aws-sdk/credential-provider-node` `defaultProvider`) tries, in order:
 * env keys (skipped when `AWS_PROFILE` is set) → SSO (only with explicit init fields) → the profile
 * named by `AWS_PROFILE`, else `[default]`, in the shared config/credentials files → its
 * `credential_process` → web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`) → the container
 * endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, else `..._FULL_URI`) → IMDS. The container
 * endpoint is second to last, so for `endpoint` delivery every source before it must be emptied:
 * the inherited variables are removed and the shared files are replaced by neutral ones.
 */
import type { Delivery } from '../config/options.js';
import type { AwsCredentials } from '../credentials/types.js';
import { neutralAwsConfigPaths } from './neutral-aws-paths.js';

/**
 * Removed for every delivery: whatever the supervisor's shell held must not compete with (or, for
 * `AWS_PROFILE`, silently disable) what is delivered. `AMAZON_*` keys are read by the CDK CLI.
 */
export const INHERITED_CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AMAZON_ACCESS_KEY_ID',
  'AMAZON_SECRET_ACCESS_KEY',
  'AMAZON_SESSION_TOKEN',
  // The old names, still read as fallbacks by the Go SDK (v1 and v2), the Java SDK v1 and boto2.
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
] as const;

/** `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` would even win over our `FULL_URI`. */
const INHERITED_CONTAINER_PREFIX = 'AWS_CONTAINER_';

export interface ChildEndpoint {
  url: string;
  /** Absolute path of the token file. */
  tokenFile: string;
}

export interface BuildChildEnvInput {
  /** The supervisor's own environment (`process.env`). */
  baseEnv: Readonly<Record<string, string | undefined>>;
  delivery: Delivery;
  /** Required for `endpoint`. */
  endpoint?: ChildEndpoint;
  /** Required for `env`. */
  credentials?: AwsCredentials;
  /** Required for `profile`. */
  profile?: string;
  /**
   * The region `resolveRegion` chose (it already honours the person's AWS_REGION/AWS_DEFAULT_REGION).
   * Exported as both `AWS_REGION` (the SDKs for JavaScript, Go, Java) and `AWS_DEFAULT_REGION`
   * (botocore: the AWS CLI v1, SAM CLI), so every tool in the child agrees on it.
   */
  region?: string;
  /** Required for `endpoint`: where `writeNeutralAwsConfig` put the neutral files. */
  neutralConfigDir?: string;
}

function required<T>(value: T | undefined, name: string, delivery: Delivery, what: string): T {
  if (value === undefined || value === '') {
    throw new TypeError(
      `Expected \`${name}\` (${what}) for \`--delivery ${delivery}\`, got \`${value === '' ? "''" : 'undefined'}\`.`,
    );
  }
  return value;
}

function withoutInheritedCredentials(baseEnv: BuildChildEnvInput['baseEnv']): Record<string, string> {
  const removed = new Set<string>(INHERITED_CREDENTIAL_VARIABLES);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(baseEnv)) {
    if (value === undefined || removed.has(name) || name.startsWith(INHERITED_CONTAINER_PREFIX)) continue;
    env[name] = value;
  }
  return env;
}

export function buildChildEnv(input: BuildChildEnvInput): Record<string, string> {
  const { delivery } = input;
  const env = withoutInheritedCredentials(input.baseEnv);
  if (input.region) {
    env.AWS_REGION = input.region;
    env.AWS_DEFAULT_REGION = input.region;
  }

  switch (delivery) {
    case 'endpoint': {
      const endpoint = required(input.endpoint, 'endpoint', delivery, 'the running credential endpoint');
      const dir = required(
        input.neutralConfigDir,
        'neutralConfigDir',
        delivery,
        'the neutral AWS config dir',
      );
      const neutral = neutralAwsConfigPaths(dir);
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
      // The file, not the token itself: the SDK re-reads it on every request and the token stays
      // out of the child's environment (`ps e`, crash dumps, env printed by build tools).
      env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = endpoint.tokenFile;
      env.AWS_CONFIG_FILE = neutral.configFile;
      env.AWS_SHARED_CREDENTIALS_FILE = neutral.credentialsFile;
      // The Java SDK v1's name for the credentials file: left pointing at the person's, its keys would win.
      env.AWS_CREDENTIAL_PROFILES_FILE = neutral.credentialsFile;
      return env;
    }
    case 'env': {
      const credentials = required(input.credentials, 'credentials', delivery, 'the verified credentials');
      env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
      env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
      if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
      if (credentials.expiration) env.AWS_CREDENTIAL_EXPIRATION = credentials.expiration.toISOString();
      return env;
    }
    case 'profile': {
      env.AWS_PROFILE = required(input.profile, 'profile', delivery, 'the AWS profile name');
      return env;
    }
    default: {
      const unknown: never = delivery;
      throw new TypeError(
        `Expected \`delivery\` to be endpoint, env or profile, got \`${String(unknown)}\`.`,
      );
    }
  }
}
