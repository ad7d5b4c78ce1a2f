import fs from 'node:fs/promises';
import { shellQuote } from '../prompt/shell-quote.js';
import { ControlError } from './errors.js';

export interface EnsureStateDirResult {
  /** The directory did not exist and was made (mode 700). */
  created: boolean;
}

const PRIVATE_MODE = 0o700;

/**
 * Makes sure `dir` is a directory of this user that nobody else can write to: it holds the
 * credentials file, the lock, the control socket and the log. A missing one is created with mode 700.
 * An existing one is never changed (it may be the project folder, or a shared scratch folder whose
 * sticky bit matters to others): one that others can write to is refused with the fix, since they
 * could swap the files in it. Its files are each made readable by their owner only, so a folder that
 * others can merely list is accepted. Anything else at that path (a file, a dangling link) is refused.
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
  if ((stat.mode & 0o022) !== 0) {
    const mode = (stat.mode & 0o7777).toString(8).padStart(3, '0');
    throw new ControlError(
      'STATE_DIR_INVALID',
      `The state directory ${dir} can be written by ${writers(stat.mode)} (mode ${mode}), who could ` +
        'replace the credentials and the lock in it. It was left as it is. Choose a folder of your own ' +
        'with --state-dir (a missing one is created with mode 700), or, if only you use this folder, ' +
        `run: chmod go-w ${shellQuote(dir)}`,
    );
  }
  return { created };
}

function writers(mode: number): string {
  return [mode & 0o020 ? 'its group' : '', mode & 0o002 ? 'everyone' : ''].filter(Boolean).join(' and ');
}

async function makeDir(dir: string): Promise<boolean> {
  try {
    // Resolves to undefined when the directory already existed.
    const firstCreated = await fs.mkdir(dir, { recursive: true, mode: PRIVATE_MODE });
    if (firstCreated === undefined) return false;
    // mkdir's mode is filtered by the umask; set it exactly (only on what was just made here).
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
