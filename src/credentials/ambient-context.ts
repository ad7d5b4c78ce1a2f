/**
 * Facts about the person's set-up that do not change while the supervisor runs, read once at start:
 * the profile in effect and what kind it is (for the prompt's fix: `aws sso login --profile …` for an
 * SSO profile), and where fresher credentials are looked for.
 *
 * The profile in effect is the region rule's one (`profileInEffect`): --profile, else the project's
 * (cdk.json, the command's own --profile), else AWS_PROFILE. A project that names its profile in
 * cdk.json gets the fix for that profile, not a generic one.
 */
import path from 'node:path';
import type { ProfileHint } from '../prompt/prompt-text.js';
import type { ProfileInEffect } from '../verify/region-context.js';
import { describeProfile } from './describe-profile.js';

export interface AmbientContext {
  /** Absent when no profile is named anywhere (the [default] profile is not a source of its own). */
  profileHint: ProfileHint | undefined;
  /** Where fresher credentials are looked for, for the --refresh-before warning. */
  sourceDescription: string;
}

export interface AmbientInput {
  profile: ProfileInEffect;
  credentialsFile: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export async function readAmbientContext(input: AmbientInput): Promise<AmbientContext> {
  const { env } = input;
  const named = input.profile.from === 'default' ? undefined : input.profile.name;
  const file = path.relative(input.cwd, input.credentialsFile) || input.credentialsFile;
  if (named === undefined) return { profileHint: undefined, sourceDescription: file };
  const described = await describeProfile(named, env).catch(() => undefined);
  const profileHint: ProfileHint = {
    name: named,
    ...(described ? { kind: described.kind === 'sso' ? ('sso' as const) : ('other' as const) } : {}),
    ...(described?.roleArn ? { roleArn: described.roleArn } : {}),
    ...(described?.mfaSerial ? { mfaSerial: described.mfaSerial } : {}),
  };
  return { profileHint, sourceDescription: `${file} and profile ${named}` };
}
