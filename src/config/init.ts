import fs from 'node:fs/promises';
import path from 'node:path';
import { ensureStateDir } from '../control/state-dir.js';
import { CONFIG_FILE_NAME, PACKAGE_JSON_KEY } from './config-file.js';
import { addGitignoreEntry } from './gitignore.js';
import { DEFAULT_STATE_DIR } from './options.js';
import { STARTER_CONFIG } from './starter-config.js';

export interface InitResult {
  configFile: string;
  /** `created`; `exists` (left alone); `in-package-json` (package.json#credSupervisor is the config). */
  config: 'created' | 'exists' | 'in-package-json';
  stateDir: string;
  stateDirCreated: boolean;
  gitignoreFile: string;
  gitignore: 'created' | 'updated' | 'unchanged';
}

/**
 * `cred-supervisor init`: a commented starter config (only when the project has none), the state
 * dir with mode 700, and `.cred-supervisor/` in .gitignore. Running it again changes nothing.
 */
export async function initProject(projectDir: string): Promise<InitResult> {
  const dir = path.resolve(projectDir);
  const configFile = path.join(dir, CONFIG_FILE_NAME);
  const config = (await hasPackageJsonConfig(dir)) ? 'in-package-json' : await writeStarterConfig(configFile);

  const stateDir = path.join(dir, DEFAULT_STATE_DIR);
  const { created } = await ensureStateDir(stateDir);

  const gitignoreFile = path.join(dir, '.gitignore');
  const existing = await fs.readFile(gitignoreFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  const edit = addGitignoreEntry(existing, DEFAULT_STATE_DIR);
  if (edit.changed) await fs.writeFile(gitignoreFile, edit.text);
  const gitignore = !edit.changed ? 'unchanged' : existing === null ? 'created' : 'updated';

  return {
    configFile,
    config,
    stateDir,
    stateDirCreated: created,
    gitignoreFile,
    gitignore,
  };
}

async function writeStarterConfig(file: string): Promise<'created' | 'exists'> {
  try {
    // `wx`: never overwrite, even if a config appeared since we looked.
    await fs.writeFile(file, STARTER_CONFIG, { flag: 'wx' });
    return 'created';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  }
}

async function hasPackageJsonConfig(dir: string): Promise<boolean> {
  try {
    const manifest: unknown = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'));
    return typeof manifest === 'object' && manifest !== null && Object.hasOwn(manifest, PACKAGE_JSON_KEY);
  } catch {
    return false;
  }
}
