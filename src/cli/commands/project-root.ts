/**
 * The project a command run in a subfolder belongs to, found as cdk finds cdk.json: walking up from the
 * working directory to the nearest folder that holds the supervisor's state, its config, or marks a
 * project root. `status` in `lib/` must see the supervisor started at the project's root.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAME } from '../../config/config-file-names.js';
import { DEFAULT_STATE_DIR } from '../../config/options.js';

// The supervisor's own traces first; then what marks a project (CDK, npm, git).
const MARKERS = [DEFAULT_STATE_DIR, CONFIG_FILE_NAME, 'cdk.json', 'package.json', '.git'] as const;

/** The nearest folder from `cwd` upwards holding one of the markers; `cwd` itself when none does. */
export function findProjectRoot(cwd: string): string {
  const start = path.resolve(cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (MARKERS.some((marker) => existsSync(path.join(dir, marker)))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
