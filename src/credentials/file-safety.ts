/**
 * Reading the credentials file only when it is safe to: a regular file (a FIFO would block the read
 * forever, a directory or device is a wrong path), small (a few hundred bytes; 10 MB of garbage is a
 * wrong path, not credentials), readable by its owner only, and not tracked by git (it would be
 * committed and pushed). A symlink is followed and its target is what gets checked, and messages say so.
 * Every refusal says how to fix it.
 */
import { execFile } from 'node:child_process';
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CredentialProblem } from './errors.js';
import { shellQuote } from './fix-commands.js';

export const MAX_CREDENTIALS_FILE_BYTES = 64 * 1024;

export interface SafeFileText {
  text: string;
  /** The absolute path asked for. */
  path: string;
  /** The file actually read: the symlink's target, or `path` itself. */
  realPath: string;
  viaSymlink: boolean;
}

export interface FileSafetyDeps {
  isTrackedByGit?: (filePath: string) => Promise<boolean>;
  /** The mode check is skipped on Windows, whose permissions are not mode bits. */
  platform?: NodeJS.Platform;
}

/**
 * Whether git tracks the file (staged counts). Not a repository, no git installed, or git failing in
 * any other way all mean "not tracked": this check protects against a commit, it is not a gate.
 */
export function isTrackedByGit(filePath: string): Promise<boolean> {
  // node's execFile rather than execa: when the spawn itself fails (EMFILE with the descriptors used
  // up), execa 9 emitted an 'error' nobody listened to and took the supervisor down. Here every
  // failure, the spawn's included, arrives in the callback.
  return new Promise((resolve) => {
    try {
      const child = execFile(
        'git',
        ['ls-files', '--error-unmatch', '--', path.basename(filePath)],
        { cwd: path.dirname(filePath), timeout: 5000, windowsHide: true },
        (error) => resolve(error === null),
      );
      child.stdin?.end();
    } catch {
      resolve(false);
    }
  });
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function unreadable(where: string, error: unknown): CredentialProblem {
  return new CredentialProblem(
    'NOT_A_FILE',
    `${where} cannot be read (${errorCode(error) ?? 'error'}).`,
    'Check that it is a file you own and can read.',
  );
}

/** The file vanished between two steps (deleted, or mid-rename by an editor), or cannot be read. */
function gone(filePath: string, where: string, error: unknown): CredentialProblem {
  if (errorCode(error) === 'ENOENT') return new CredentialProblem('NOT_FOUND', `${filePath} does not exist.`);
  return unreadable(where, error);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function tooLarge(where: string, size: string): CredentialProblem {
  return new CredentialProblem(
    'TOO_LARGE',
    `${where} is ${size}; a credentials file is well under ${MAX_CREDENTIALS_FILE_BYTES / 1024} KiB.`,
    'Check that --credentials-file names the credentials file, then write the credentials to it again.',
  );
}

function checkStats(stats: Stats, where: string, realPath: string, platform: NodeJS.Platform): void {
  if (!stats.isFile()) {
    throw new CredentialProblem(
      'NOT_A_FILE',
      `${where} is ${kindOf(stats)}, not a regular file.`,
      'Point --credentials-file at a plain file holding the credentials.',
    );
  }
  if (stats.size > MAX_CREDENTIALS_FILE_BYTES) throw tooLarge(where, `${stats.size} bytes`);
  if (platform !== 'win32' && (stats.mode & 0o077) !== 0) {
    const readers = [stats.mode & 0o070 ? 'its group' : '', stats.mode & 0o007 ? 'everyone' : '']
      .filter(Boolean)
      .join(' and ');
    const mode = (stats.mode & 0o777).toString(8).padStart(3, '0');
    throw new CredentialProblem(
      'UNSAFE_PERMISSIONS',
      `${where} is open to ${readers} (mode ${mode}); credentials must be readable by you only.`,
      `Run: chmod 600 ${shellQuote(realPath)}`,
    );
  }
}

async function readAtMost(realPath: string, limit: number): Promise<{ bytes: Buffer; stats: Stats }> {
  // O_NONBLOCK: should the file have been swapped for a FIFO since the stat, the open must not hang.
  const handle = await open(realPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { bytes: Buffer.alloc(0), stats };
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { bytes: buffer.subarray(0, length), stats };
  } finally {
    await handle.close();
  }
}

function decodeText(bytes: Buffer, where: string): string {
  const binary = new CredentialProblem(
    'MALFORMED',
    `${where} holds binary data, not credentials text.`,
    'Write the credentials to it again as env lines or JSON.',
  );
  if (bytes.includes(0)) throw binary;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw binary;
  }
}

/** Reads the file after the checks; throws CredentialProblem (NOT_FOUND when there is no file). */
export async function readCredentialsFileSafely(
  filePath: string,
  deps: FileSafetyDeps = {},
): Promise<SafeFileText> {
  const platform = deps.platform ?? process.platform;
  const tracked = deps.isTrackedByGit ?? isTrackedByGit;
  const absolute = path.resolve(filePath);
  let linkStats: Stats;
  try {
    linkStats = await lstat(absolute);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      throw new CredentialProblem('NOT_FOUND', `${filePath} does not exist.`);
    }
    throw unreadable(filePath, error);
  }
  const viaSymlink = linkStats.isSymbolicLink();
  let realPath = absolute;
  if (viaSymlink) {
    try {
      realPath = await realpath(absolute);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        throw new CredentialProblem('NOT_FOUND', `${filePath} is a symlink to a file that does not exist.`);
      }
      throw new CredentialProblem(
        'NOT_A_FILE',
        `${filePath} is a symlink that cannot be followed (${errorCode(error) ?? 'error'}).`,
      );
    }
  }
  const where = viaSymlink ? `${filePath} (a symlink; checked its target ${realPath})` : filePath;

  let stats = linkStats;
  if (viaSymlink) {
    try {
      stats = await stat(realPath);
    } catch (error) {
      throw gone(filePath, where, error);
    }
  }
  checkStats(stats, where, realPath, platform);
  if (await tracked(realPath)) {
    const dir = path.dirname(realPath);
    const name = path.basename(realPath);
    throw new CredentialProblem(
      'TRACKED_BY_GIT',
      `${where} is tracked by git, so the credentials in it would be committed.`,
      `Run: git -C ${shellQuote(dir)} rm --cached ${shellQuote(name)} and add ${name} to .gitignore; if it was ever committed or pushed, treat those credentials as leaked.`,
    );
  }
  let read: { bytes: Buffer; stats: Stats };
  try {
    read = await readAtMost(realPath, MAX_CREDENTIALS_FILE_BYTES);
  } catch (error) {
    throw gone(filePath, where, error);
  }
  // The file may have changed between the checks and the read (an editor's rename): check again.
  checkStats(read.stats, where, realPath, platform);
  if (read.bytes.length > MAX_CREDENTIALS_FILE_BYTES)
    throw tooLarge(where, `more than ${MAX_CREDENTIALS_FILE_BYTES} bytes`);
  return { text: decodeText(read.bytes, where), path: absolute, realPath, viaSymlink };
}
