/**
 * What kind of profile a name refers to, read from the shared files without resolving anything: the
 * prompt says "run `aws sso login --profile dev`" for an SSO profile and "enter the MFA code" for an
 * assume-role profile with mfa_serial. No secret from the files is returned.
 */
import { loadSsoSessionData, parseKnownFiles } from '@smithy/core/config';
import { type ProfileFilePaths, profileFilePaths } from './profile-files.js';

export type ProfileKind = 'sso' | 'assume-role' | 'process' | 'static' | 'web-identity' | 'login' | 'unknown';

export interface ProfileDescription {
  name: string;
  /** Defined in the config or the credentials file. */
  exists: boolean;
  kind: ProfileKind;
  /** An assume-role profile with `mfa_serial`: an MFA code is needed at every resolution. */
  needsMfa: boolean;
  mfaSerial?: string;
  region?: string;
  roleArn?: string;
  sourceProfile?: string;
  ssoSession?: string;
  ssoStartUrl?: string;
  ssoAccountId?: string;
  ssoRoleName?: string;
  files: ProfileFilePaths;
}

type Section = Record<string, string | undefined>;

// The same precedence as @aws-sdk/credential-provider-ini's resolveProfileData.
function kindOf(section: Section): ProfileKind {
  if (section.role_arn && (section.source_profile || section.credential_source)) return 'assume-role';
  if (section.aws_access_key_id && section.aws_secret_access_key) return 'static';
  if (section.web_identity_token_file && section.role_arn) return 'web-identity';
  if (section.credential_process) return 'process';
  if (
    section.sso_start_url ||
    section.sso_account_id ||
    section.sso_session ||
    section.sso_region ||
    section.sso_role_name
  ) {
    return 'sso';
  }
  if (section.login_session) return 'login';
  return 'unknown';
}

async function ssoStartUrlOf(section: Section, files: ProfileFilePaths): Promise<string | undefined> {
  if (section.sso_start_url || !section.sso_session) return section.sso_start_url;
  const sessions = (await loadSsoSessionData({ configFilepath: files.configFile })) as Record<
    string,
    Section
  >;
  return sessions[section.sso_session]?.sso_start_url;
}

export async function describeProfile(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProfileDescription> {
  const files = profileFilePaths(env);
  const init = { filepath: files.credentialsFile, configFilepath: files.configFile, ignoreCache: true };
  const profiles = (await parseKnownFiles(init)) as Record<string, Section>;
  const section = Object.hasOwn(profiles, name) ? (profiles[name] as Section) : undefined;
  if (!section) return { name, exists: false, kind: 'unknown', needsMfa: false, files };
  const kind = kindOf(section);
  return {
    name,
    exists: true,
    kind,
    needsMfa: kind === 'assume-role' && Boolean(section.mfa_serial),
    region: section.region,
    files,
    ...(kind === 'assume-role' && {
      roleArn: section.role_arn,
      sourceProfile: section.source_profile,
      mfaSerial: section.mfa_serial,
    }),
    ...(kind === 'sso' && {
      ssoSession: section.sso_session,
      ssoAccountId: section.sso_account_id,
      ssoRoleName: section.sso_role_name,
      ssoStartUrl: await ssoStartUrlOf(section, files),
    }),
  };
}
