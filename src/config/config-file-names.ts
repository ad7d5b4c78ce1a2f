/** Where a project's configuration lives; alone so that finding it loads no parser. */
import fs from 'node:fs';
import path from 'node:path';

export const CONFIG_FILE_NAME = 'cred-supervisor.config.json';
export const PACKAGE_JSON_KEY = 'credSupervisor';

/**
 * Whether `dir` may hold a configuration (the config file, or a package.json that mentions the key).
 * False only when it certainly holds none: then the defaults apply without loading the config parser.
 */
export function mayHaveProjectConfig(dir: string): boolean {
  if (fs.existsSync(path.join(dir, CONFIG_FILE_NAME))) return true;
  try {
    return fs.readFileSync(path.join(dir, 'package.json'), 'utf8').includes(PACKAGE_JSON_KEY);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
