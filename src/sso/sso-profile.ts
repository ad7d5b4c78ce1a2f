/**
 * An SSO profile read from the shared config with the SDK's own ini loader: either one that names an
 * `sso_session` (the `[sso-session NAME]` section holds the start URL and region) or a legacy one with
 * `sso_start_url`/`sso_region` on the profile itself. What is missing or unknown is said with the fix,
 * the way `aws configure sso` would set it up.
 */
import { loadSsoSessionData, parseKnownFiles } from '@smithy/core/config';
import { CredentialProblem } from '../credentials/errors.js';
import { shellQuote } from '../credentials/fix-commands.js';
import { profileFilePaths } from '../credentials/profile-files.js';
import type { SsoCacheIdentity } from './sso-cache-path.js';

export interface SsoProfile {
  profile: string;
  identity: SsoCacheIdentity;
  startUrl: string;
  /** Where IAM Identity Center (the portal and SSO-OIDC) runs. */
  ssoRegion: string;
  accountId: string;
  roleName: string;
  /** `sso_registration_scopes` of the session, when set. */
  registrationScopes?: string[];
}

type Section = Record<string, string | undefined>;

/** The command that logs this profile in with the AWS CLI v2: by session when there is one. */
export function awsSsoLoginArgs(profile: Pick<SsoProfile, 'profile' | 'identity'>): string[] {
  switch (profile.identity.kind) {
    case 'session':
      return ['sso', 'login', '--sso-session', profile.identity.sessionName];
    case 'legacy':
      return ['sso', 'login', '--profile', profile.profile];
    default: {
      const unreachable: never = profile.identity;
      throw new Error(`unknown SSO identity ${JSON.stringify(unreachable)}`);
    }
  }
}

export function awsSsoLoginCommand(profile: Pick<SsoProfile, 'profile' | 'identity'>): string {
  return ['aws', ...awsSsoLoginArgs(profile)].map(shellQuote).join(' ');
}

function missing(profile: string, where: string, keys: string[], configFile: string): CredentialProblem {
  return new CredentialProblem(
    'PROFILE_FAILED',
    `Profile ${profile}: ${where} in ${configFile} is missing ${keys.join(', ')}.`,
    `Add ${keys.map((k) => `${k} = …`).join(', ')} there, or run: aws configure sso --profile ${shellQuote(profile)}`,
  );
}

function absent(section: Section, keys: string[]): string[] {
  return keys.filter((key) => !section[key]);
}

/** Whether a profile section is an SSO one at all (the SDK's own test). */
export function isSsoSection(section: Section): boolean {
  return Boolean(
    section.sso_start_url ||
      section.sso_account_id ||
      section.sso_session ||
      section.sso_region ||
      section.sso_role_name,
  );
}

/** The SSO set-up of `profile`, or undefined when it is not an SSO profile. Bad set-ups throw the fix. */
export async function readSsoProfile(
  profile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SsoProfile | undefined> {
  const { configFile, credentialsFile } = profileFilePaths(env);
  const init = { filepath: credentialsFile, configFilepath: configFile, ignoreCache: true };
  const profiles = (await parseKnownFiles(init)) as Record<string, Section>;
  const section = Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
  if (!section || !isSsoSection(section)) return undefined;

  const roleKeys = absent(section, ['sso_account_id', 'sso_role_name']);
  const sessionName = section.sso_session;
  if (!sessionName) {
    const gaps = absent(section, ['sso_start_url', 'sso_region', ...roleKeys]);
    if (gaps.length > 0) throw missing(profile, `[profile ${profile}]`, gaps, configFile);
    return {
      profile,
      identity: { kind: 'legacy', startUrl: section.sso_start_url! },
      startUrl: section.sso_start_url!,
      ssoRegion: section.sso_region!,
      accountId: section.sso_account_id!,
      roleName: section.sso_role_name!,
    };
  }
  // No ignoreCache here: parseKnownFiles above (ignoreCache) has just re-read the file into the
  // SDK's file cache, which this reads.
  const sessions = (await loadSsoSessionData({ configFilepath: configFile })) as Record<string, Section>;
  const session = Object.hasOwn(sessions, sessionName) ? sessions[sessionName] : undefined;
  if (!session) {
    const known = Object.keys(sessions);
    throw new CredentialProblem(
      'PROFILE_FAILED',
      `Profile ${profile} names sso_session = ${sessionName}, and ${configFile} has no [sso-session ${sessionName}] section${known.length > 0 ? ` (it has: ${known.join(', ')})` : ''}.`,
      `Fix the name, or create the session: aws configure sso-session`,
    );
  }
  const sessionGaps = absent(session, ['sso_start_url', 'sso_region']);
  if (sessionGaps.length > 0) throw missing(profile, `[sso-session ${sessionName}]`, sessionGaps, configFile);
  if (roleKeys.length > 0) throw missing(profile, `[profile ${profile}]`, roleKeys, configFile);
  const scopes = session.sso_registration_scopes
    ?.split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  return {
    profile,
    identity: { kind: 'session', sessionName },
    startUrl: session.sso_start_url!,
    ssoRegion: session.sso_region!,
    accountId: section.sso_account_id!,
    roleName: section.sso_role_name!,
    ...(scopes && scopes.length > 0 && { registrationScopes: scopes }),
  };
}
