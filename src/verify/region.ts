/**
 * Which region every command uses, and where it came from: the one rule (docs/usage.md, `--region`), the
 * same order as the AWS SDKs and CLI. Pure: the environment and the profile's facts are passed in.
 *
 * 1. `--region` (or the config file's `region`);
 * 2. an `AWS_REGION`/`AWS_DEFAULT_REGION` line in the credentials file: written next to the keys on
 *    purpose, so it counts as the person's explicit choice;
 * 3. `AWS_REGION`, then `AWS_DEFAULT_REGION`;
 * 4. the `region` of the profile in effect (the chosen profile, else cdk.json's, else `AWS_PROFILE`,
 *    else `default`) in the shared config file;
 * 5. `us-east-1`, with a warning: an environment-agnostic stack would deploy there.
 */
import type { CredentialSourceKind } from '../credentials/types.js';

export type RegionOrigin =
  | 'option'
  | 'credentials-file'
  | 'AWS_REGION'
  | 'AWS_DEFAULT_REGION'
  | 'profile'
  | 'default';

export interface ChosenRegion {
  region: string;
  from: RegionOrigin;
  /** The profile whose `region` was used (`from: 'profile'`). */
  profile?: string;
}

export const FALLBACK_REGION = 'us-east-1';

/** The profile in effect and the `region` its config section holds, if any. */
export interface ProfileRegion {
  name: string;
  region?: string | undefined;
}

export interface RegionInputs {
  /** `--region` or the config file's region. */
  option?: string | undefined;
  /** The region the credential source carried, and which kind of source it was. */
  source?: { region?: string | undefined; kind: CredentialSourceKind } | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  profile?: ProfileRegion | undefined;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

export function resolveRegion({ option, source, env = {}, profile }: RegionInputs): ChosenRegion {
  if (present(option)) return { region: option.trim(), from: 'option' };
  if (source?.kind === 'file' && present(source.region)) {
    return { region: source.region.trim(), from: 'credentials-file' };
  }
  if (present(env.AWS_REGION)) return { region: env.AWS_REGION.trim(), from: 'AWS_REGION' };
  if (present(env.AWS_DEFAULT_REGION)) {
    return { region: env.AWS_DEFAULT_REGION.trim(), from: 'AWS_DEFAULT_REGION' };
  }
  if (profile && present(profile.region)) {
    return { region: profile.region.trim(), from: 'profile', profile: profile.name };
  }
  if (source?.kind === 'profile' && present(source.region)) {
    return { region: source.region.trim(), from: 'profile' };
  }
  return { region: FALLBACK_REGION, from: 'default' };
}

/** `from --region`, `from AWS_REGION`, `from profile dev`: where the region came from. */
export function describeRegionOrigin(chosen: ChosenRegion | RegionOrigin): string {
  const { from, profile } = typeof chosen === 'string' ? { from: chosen, profile: undefined } : chosen;
  switch (from) {
    case 'option':
      return 'from --region';
    case 'credentials-file':
      return 'from the credentials file';
    case 'profile':
      return profile ? `from profile ${profile} in the AWS config file` : 'from the profile';
    case 'default':
      return 'default: none configured';
    case 'AWS_REGION':
    case 'AWS_DEFAULT_REGION':
      return `from ${from}`;
  }
}

/** The visible warning when no region was configured anywhere. */
export function fallbackRegionWarning(chosen: ChosenRegion): string | undefined {
  if (chosen.from !== 'default') return undefined;
  return (
    `No region configured (no --region, AWS_REGION, AWS_DEFAULT_REGION, or region in the profile in effect): ` +
    `using ${FALLBACK_REGION}. Set one, e.g. \`aws configure set region eu-west-1\`, or pass --region.`
  );
}
