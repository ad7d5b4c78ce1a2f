/**
 * `check`, `watch` and `exec` refuse an explicit choice that cdk.json's (or the command's own)
 * profile contradicts as a usage error (exit 2), before any credentials are read or anything starts.
 * The rule itself is `projectProfileConflict`.
 */
import type { SupervisorOptions } from '../../config/options.js';
import { findProjectProfile, projectProfileConflict } from '../../config/project-profile.js';
import { UsageError } from '../errors.js';

export async function refuseProjectProfileConflict(
  options: SupervisorOptions,
  cwd: string,
  command: readonly string[],
): Promise<void> {
  const conflict = projectProfileConflict(options, await findProjectProfile(cwd, command));
  if (conflict) throw new UsageError(`${conflict.problem} ${conflict.fix}`);
}
