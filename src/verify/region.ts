/**
 * Which region the checklist reports and the STS call uses, and why. Pure: the environment is passed in.
 *
 * Order, most specific first:
 * 1. `--region` (or the config file's `region`);
 * 2. an `AWS_REGION`/`AWS_DEFAULT_REGION` line in the credentials file: written next to the keys on
 *    purpose, so it beats the shell's environment;
 * 3. the supervisor's own `AWS_REGION`, then `AWS_DEFAULT_REGION`;
 * 4. the profile's `region` (after the environment, as the AWS CLI and SDK order them);
 * 5. `us-east-1`, where STS answers for every commercial account.
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
}

export const FALLBACK_REGION = 'us-east-1';

export interface RegionInputs {
  /** `--region` or the config file's region. */
  option?: string | undefined;
  /** The region the credential source carried, and which kind of source it was. */
  source?: { region?: string | undefined; kind: CredentialSourceKind } | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

export function chooseRegion({ option, source, env = {} }: RegionInputs): ChosenRegion {
  if (present(option)) return { region: option.trim(), from: 'option' };
  if (source?.kind === 'file' && present(source.region)) {
    return { region: source.region.trim(), from: 'credentials-file' };
  }
  if (present(env.AWS_REGION)) return { region: env.AWS_REGION.trim(), from: 'AWS_REGION' };
  if (present(env.AWS_DEFAULT_REGION)) {
    return { region: env.AWS_DEFAULT_REGION.trim(), from: 'AWS_DEFAULT_REGION' };
  }
  if (source?.kind === 'profile' && present(source.region)) {
    return { region: source.region.trim(), from: 'profile' };
  }
  return { region: FALLBACK_REGION, from: 'default' };
}

/** `from --region`, `from AWS_REGION`, …: the checklist's note on where the region came from. */
export function describeRegionOrigin(from: RegionOrigin): string {
  switch (from) {
    case 'option':
      return 'from --region';
    case 'credentials-file':
      return 'from the credentials file';
    case 'profile':
      return 'from the profile';
    case 'default':
      return 'default: none configured';
    default:
      return `from ${from}`;
  }
}
