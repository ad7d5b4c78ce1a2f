/**
 * The facts `resolveRegion` needs that live in files: which profile is in effect and the region its
 * section of the shared config file holds (AWS_CONFIG_FILE honoured, parsed by the SDK's own loader).
 * Computed once per command; the decision itself stays in region.ts.
 */
import type { ProjectProfile } from '../config/project-profile.js';
import { describeProfile, type ProfileKind } from '../credentials/describe-profile.js';
import type { ProfileRegion } from './region.js';

export type ProfileOrigin = 'option' | 'project' | 'AWS_PROFILE' | 'default';

export interface ProfileInEffect {
  name: string;
  from: ProfileOrigin;
}

/** The chosen profile, else the project's (cdk.json, the command's --profile), else AWS_PROFILE, else default. */
export function profileInEffect(input: {
  option?: string | undefined;
  project?: ProjectProfile | undefined;
  env: NodeJS.ProcessEnv;
}): ProfileInEffect {
  if (input.option) return { name: input.option, from: 'option' };
  if (input.project) return { name: input.project.name, from: 'project' };
  if (input.env.AWS_PROFILE) return { name: input.env.AWS_PROFILE, from: 'AWS_PROFILE' };
  return { name: 'default', from: 'default' };
}

/** The profile in effect with its `region` and kind; a config file that cannot be read has neither. */
export async function profileRegion(
  profile: ProfileInEffect,
  env: NodeJS.ProcessEnv,
): Promise<ProfileRegion & { kind?: ProfileKind }> {
  try {
    const { region, kind } = await describeProfile(profile.name, env);
    return { name: profile.name, region, kind };
  } catch {
    return { name: profile.name };
  }
}
