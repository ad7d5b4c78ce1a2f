/**
 * Facts about the person's set-up that do not change while the supervisor runs, read once at start:
 * the profile in effect, what kind it is (for the prompt's fix), and the region their own set-up
 * names. With endpoint delivery the child's AWS config files are neutral ones, so that region is
 * carried over explicitly.
 */
import path from 'node:path';
import type { ProfileHint } from '../prompt/prompt-text.js';
import { describeProfile } from './describe-profile.js';

export interface AmbientContext {
  /** `--profile`, else AWS_PROFILE. */
  profile: string | undefined;
  profileHint: ProfileHint | undefined;
  /** AWS_REGION, AWS_DEFAULT_REGION, else the profile's (or [default]'s) region in the config file. */
  ambientRegion: string | undefined;
  /** Where fresher credentials are looked for, for the --refresh-before warning. */
  sourceDescription: string;
}

export interface AmbientInput {
  profile: string | undefined;
  credentialsFile: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export async function readAmbientContext(input: AmbientInput): Promise<AmbientContext> {
  const { profile, env } = input;
  const described = await describeProfile(profile ?? 'default', env).catch(() => undefined);
  const profileHint: ProfileHint | undefined = profile
    ? {
        name: profile,
        ...(described ? { kind: described.kind === 'sso' ? ('sso' as const) : ('other' as const) } : {}),
        ...(described?.roleArn ? { roleArn: described.roleArn } : {}),
        ...(described?.mfaSerial ? { mfaSerial: described.mfaSerial } : {}),
      }
    : undefined;
  const file = path.relative(input.cwd, input.credentialsFile) || input.credentialsFile;
  return {
    profile,
    profileHint,
    ambientRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION || described?.region,
    sourceDescription: profile ? `${file} and profile ${profile}` : file,
  };
}
