/**
 * The "how to provide credentials" text `check` prints after a credentials failure: the same ways the
 * watch prompt shows (one list, in prompt/credential-options), under a line naming account and region.
 */
import type { ProfileKind } from '../credentials/describe-profile.js';
import { credentialOptionLines } from '../prompt/credential-options.js';

export interface ProvideCredentialsHintInput {
  /** Absolute path of the credentials file the supervisor reads. */
  credentialsFile: string;
  profile?: string | undefined;
  /** What the profile is, from the config file: only an SSO profile is offered the SSO login. */
  profileKind?: ProfileKind | undefined;
  expectAccount?: string | undefined;
  region?: string | undefined;
  /** The file's directory does not exist yet: start with `mkdir -p`. */
  createDirectory?: boolean | undefined;
}

export function provideCredentialsHint(input: ProvideCredentialsHintInput): string {
  const who = [
    input.expectAccount ? `for account ${input.expectAccount}` : undefined,
    input.region ? `in ${input.region}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `Credentials are needed${who ? ` ${who}` : ''}.`,
    ...credentialOptionLines({
      credentialsFile: input.credentialsFile,
      ...(input.profile && { profile: { name: input.profile, ...profileHintKind(input.profileKind) } }),
      createDirectory: input.createDirectory,
    }),
  ].join('\n');
}

/** Only an SSO profile is offered the SSO login; a known other kind is told as such. */
function profileHintKind(kind: ProfileKind | undefined): { kind?: 'sso' | 'other' } {
  if (kind === undefined || kind === 'unknown') return {};
  return { kind: kind === 'sso' ? 'sso' : 'other' };
}
