/**
 * `--profile NAME` through the AWS SDK's own ini provider, so every profile kind the AWS CLI knows
 * works the same here: static keys, assume-role (with source_profile or credential_source, MFA),
 * credential_process, SSO and `aws login`. Each call resolves afresh (files re-read, no provider cache)
 * because refresh-ahead calls it again to get newer credentials, not the ones it already has.
 *
 * The SDK reads its environment from `process.env`: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, HOME
 * (SSO cache), AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (also for the inner STS client of assume-role).
 *
 * The SDK's providers are imported on the first profile resolution only: a supervisor given a
 * credentials file never loads them (they stay out of its resident memory).
 */
import { formatDuration } from '../config/duration.js';
import { readSsoProfile } from '../sso/sso-profile.js';
import { describeProfile } from './describe-profile.js';
import { CredentialProblem } from './errors.js';
import { exportCredentialsCommand, shellQuote, ssoLoginFixCommand } from './fix-commands.js';
import { MFA_CODE, type MfaCodePrompt } from './mfa-prompt.js';
import { problemFromProfileError } from './profile-problem.js';
import type { AwsCredentials, ResolvedCredentials } from './types.js';

export interface ProfileSourceOptions {
  profile: string;
  /** Asks for an MFA code; leave it out when no terminal is attached. */
  promptMfaCode?: MfaCodePrompt;
  /** Region for the inner STS/SSO clients when the profile names none (`--region`). */
  region?: string;
  now?: () => Date;
  /** Where to tell the person to write credentials when MFA cannot be asked for. */
  credentialsFile?: string;
}

function mfaProvider(options: ProfileSourceOptions): (mfaSerial: string) => Promise<string> {
  const { profile, promptMfaCode } = options;
  return async (mfaSerial) => {
    if (!promptMfaCode) {
      const write = options.credentialsFile
        ? ` or write credentials to the file: ${exportCredentialsCommand(options.credentialsFile, profile)}`
        : '';
      throw new CredentialProblem(
        'MFA_REQUIRED',
        `Profile ${profile} needs an MFA code (${mfaSerial}) and no terminal is attached to ask for it.`,
        `Run cred-supervisor in a terminal to enter the code${write}.`,
      );
    }
    const code = await promptMfaCode({ profile, mfaSerial });
    if (!MFA_CODE.test(code)) {
      throw new CredentialProblem(
        'MFA_REQUIRED',
        `Profile ${profile}: the MFA code must be 6 digits, got ${code.length} characters.`,
        'Enter the current code from the MFA device.',
      );
    }
    return code;
  };
}

export async function resolveProfileCredentials(options: ProfileSourceOptions): Promise<ResolvedCredentials> {
  const { profile } = options;
  const now = options.now ?? (() => new Date());
  const description = await describeProfile(profile);
  const { configFile, credentialsFile } = description.files;
  if (!description.exists) {
    throw new CredentialProblem(
      'PROFILE_FAILED',
      `Profile ${profile} is defined in neither ${configFile} nor ${credentialsFile}.`,
      `Create it (\`aws configure sso --profile ${shellQuote(profile)}\` or \`aws configure --profile ${shellQuote(profile)}\`) or check the name and AWS_CONFIG_FILE.`,
    );
  }
  // An SSO set-up with a gap (unknown sso_session, no sso_region…) is named with its fix here; the
  // SDK would only list the keys it got.
  if (description.kind === 'sso') await readSsoProfile(profile);
  const { fromIni } = await import('@aws-sdk/credential-providers');
  const provider = fromIni({
    profile,
    filepath: credentialsFile,
    configFilepath: configFile,
    ignoreCache: true,
    mfaCodeProvider: mfaProvider(options),
    ...(options.region && { parentClientConfig: { region: options.region } }),
  });
  let identity: Awaited<ReturnType<typeof provider>>;
  try {
    identity = await provider();
  } catch (error) {
    throw problemFromProfileError(error, {
      name: profile,
      kind: description.kind,
      ...(description.sourceProfile && { sourceProfile: description.sourceProfile }),
    });
  }
  const credentials: AwsCredentials = {
    accessKeyId: identity.accessKeyId,
    secretAccessKey: identity.secretAccessKey,
    ...(identity.sessionToken && { sessionToken: identity.sessionToken }),
    ...(identity.expiration && { expiration: identity.expiration }),
  };
  const leftMs = credentials.expiration ? credentials.expiration.getTime() - now().getTime() : undefined;
  if (leftMs !== undefined && leftMs <= 0) {
    throw new CredentialProblem(
      description.kind === 'sso' ? 'SSO_EXPIRED' : 'EXPIRED',
      `Profile ${profile} (${description.kind}) gave credentials that expired ${formatDuration(-leftMs)} ago.`,
      description.kind === 'sso' ? `Run: ${ssoLoginFixCommand(profile)}` : undefined,
    );
  }
  return {
    credentials,
    source: { kind: 'profile', description: `profile ${profile} (${description.kind})`, profile },
    ...(description.region && { region: description.region }),
  };
}
