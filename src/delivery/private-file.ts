/**
 * Writes small private files (the endpoint token, the neutral AWS config) so that no reader ever
 * sees a partial file and no other user can read one: a temp file created with mode 600 next to the
 * target, then renamed over it (atomic on the same file system, and a rename replaces a symlink at
 * the target instead of following it).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates the directory (mode 700) when it is missing; an existing one is left as it is. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

export async function writePrivateFileAtomically(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  // `wx`: never reuse a file someone else created; the mode is applied at creation, so the content
  // is never readable by others, whatever the umask.
  const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temp, PRIVATE_FILE_MODE);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Removes `file` only if it still holds `expected`, so one instance never deletes another's file. */
export async function removeFileIfContentIs(file: string, expected: string): Promise<void> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch {
    return;
  }
  if (content === expected) await rm(file, { force: true });
}
