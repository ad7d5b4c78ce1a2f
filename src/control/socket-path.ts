import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SOCKET_FILE = 'control.sock';

/**
 * A unix socket path must fit in sun_path: 108 bytes with the terminating NUL on Linux, 104 on macOS.
 * The portable limit is used so the same project works on both.
 */
export const MAX_SOCKET_PATH_BYTES = 103;

/**
 * Where the control socket of the supervisor for `stateDir` listens: `<stateDir>/control.sock`, or,
 * when that is too long for a unix socket, a short path in a private folder under the temp dir,
 * named by a hash of the state dir's real path. Server and client compute it the same way, so the
 * client needs nothing else to find it.
 */
export function controlSocketPath(stateDir: string, tmpDir = os.tmpdir()): string {
  const dir = canonical(stateDir);
  const preferred = path.join(dir, SOCKET_FILE);
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  return path.join(fallbackSocketDir(tmpDir), `${hash}.sock`);
}

/** The private folder (made 700 by the server) that holds fallback sockets of this user. */
export function fallbackSocketDir(tmpDir = os.tmpdir()): string {
  const user = process.getuid?.() ?? os.userInfo().username;
  return path.join(tmpDir, `cred-supervisor-${user}`);
}

/** Symlinked and relative spellings of one directory must give one socket. */
function canonical(dir: string): string {
  const resolved = path.resolve(dir);
  try {
    return fs.realpathSync(resolved);
  } catch {
    return resolved;
  }
}
