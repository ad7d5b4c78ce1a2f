import fs from 'node:fs/promises';
import { ControlError } from './errors.js';

export interface EnsureStateDirResult {
  /** The directory did not exist and was made. */
  created: boolean;
  /** It existed with group/other permission bits, which were removed. */
  modeFixed: boolean;
}

const PRIVATE_MODE = 0o700;

/**
 * Makes sure `dir` is a directory only its owner can enter (mode 700): it holds the credentials file,
 * the lock, the control socket and the log. An existing directory with looser permissions is
 * tightened; anything else at that path (a file, a dangling link) is refused.
 */
export async function ensureStateDir(dir: string): Promise<EnsureStateDirResult> {
  const created = await makeDir(dir);
  const stat = await fs.stat(dir).catch((error: NodeJS.ErrnoException) => {
    throw new ControlError('STATE_DIR_INVALID', `Cannot use the state directory ${dir}: ${error.message}.`);
  });
  if (!stat.isDirectory()) {
    throw new ControlError(
      'STATE_DIR_INVALID',
      `Expected the state directory ${dir} to be a directory, got a ${describeKind(stat)}. ` +
        'Move it away or choose another path with --state-dir.',
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new ControlError(
      'STATE_DIR_INVALID',
      `The state directory ${dir} belongs to user id ${stat.uid}, not to you (${uid}). ` +
        'It holds credentials, so it must be yours: remove it or choose another path with --state-dir.',
    );
  }
  const modeFixed = (stat.mode & 0o077) !== 0;
  if (modeFixed) await fs.chmod(dir, PRIVATE_MODE);
  return { created, modeFixed };
}

async function makeDir(dir: string): Promise<boolean> {
  try {
    // Resolves to undefined when the directory already existed.
    const firstCreated = await fs.mkdir(dir, { recursive: true, mode: PRIVATE_MODE });
    if (firstCreated === undefined) return false;
    // mkdir's mode is filtered by the umask; set it exactly.
    await fs.chmod(dir, PRIVATE_MODE);
    return true;
  } catch (error) {
    // Something that is not a directory is in the way: the stat that follows names it.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new ControlError(
      'STATE_DIR_INVALID',
      `Cannot create the state directory ${dir}: ${(error as Error).message}.`,
    );
  }
}

function describeKind(stat: { isFile(): boolean; isSocket(): boolean; isFIFO(): boolean }): string {
  if (stat.isFile()) return 'regular file';
  if (stat.isSocket()) return 'socket';
  if (stat.isFIFO()) return 'named pipe';
  return 'special file';
}
