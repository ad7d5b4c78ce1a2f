/** Writes the neutral AWS config/credentials files (mode 600) described in `neutral-aws-paths.ts`. */
import {
  type NeutralAwsConfigPaths,
  neutralAwsConfigPaths,
  renderNeutralAwsConfig,
  renderNeutralAwsCredentials,
} from './neutral-aws-paths.js';
import { ensurePrivateDir, writePrivateFileAtomically } from './private-file.js';

export interface WriteNeutralAwsConfigOptions {
  /** Usually the state dir; pass the same value as `neutralConfigDir` to `buildChildEnv`. */
  dir: string;
  /** Written as `[default] region = …` so the child keeps the region the supervisor verified with. */
  region?: string;
}

export async function writeNeutralAwsConfig({
  dir,
  region,
}: WriteNeutralAwsConfigOptions): Promise<NeutralAwsConfigPaths> {
  const paths = neutralAwsConfigPaths(dir);
  const config = renderNeutralAwsConfig(region);
  await ensurePrivateDir(dir);
  await writePrivateFileAtomically(paths.configFile, config);
  await writePrivateFileAtomically(paths.credentialsFile, renderNeutralAwsCredentials());
  return paths;
}
