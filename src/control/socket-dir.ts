/**
 * The shared-temp-dir folder that holds control sockets of state dirs whose path is too long for a
 * unix socket (`/tmp/cred-supervisor-<uid>`). Anyone can create a folder under /tmp, so a folder of
 * that name made by someone else would let them read the socket's traffic or block the supervisor:
 * it is used only when it is ours and closed to others, and refused with a message naming who owns it.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { shellQuote } from '../prompt/shell-quote.js';
import { ControlError } from './errors.js';

const WHY = 'the folder for control sockets of state dirs whose path is too long for a unix socket';
const WAYS_OUT =
  'or use a shorter --state-dir path, or point TMPDIR at a folder of yours (e.g. `export TMPDIR=$HOME/.cache/tmp`).';

export async function ensureFallbackSocketDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { mode: 0o700 });
    await fs.chmod(dir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ControlError(
        'STATE_DIR_INVALID',
        `Cannot create ${dir}, ${WHY}: ${(error as Error).message}.`,
      );
    }
  }
  // lstat: a symlink planted at that name must not lead the socket elsewhere.
  const stat = await fs.lstat(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory()) {
    throw new ControlError(
      'STATE_DIR_INVALID',
      `${dir}, ${WHY}, is not a directory (a symlink or file owned by ${ownerName(stat.uid)}). Remove it, ${WAYS_OUT}`,
    );
  }
  if (uid !== undefined && stat.uid !== uid) {
    throw new ControlError(
      'STATE_DIR_INVALID',
      `${dir}, ${WHY}, belongs to ${ownerName(stat.uid)}, not to you (user id ${uid}): someone else ` +
        `created it, which blocks your supervisor. Ask them or root to remove it, ${WAYS_OUT}`,
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o7777).toString(8).padStart(3, '0');
    throw new ControlError(
      'STATE_DIR_INVALID',
      `${dir}, ${WHY}, is open to others (mode ${mode}); it was left as it is. Run: chmod 700 ${shellQuote(dir)}`,
    );
  }
}

/** "user id 1001 (alice)": the name from /etc/passwd when there is one. */
function ownerName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && Number(id) === uid) return `user id ${uid} (${name})`;
    }
  } catch {
    // No passwd file (macOS keeps users elsewhere): the number has to do.
  }
  return `user id ${uid}`;
}
