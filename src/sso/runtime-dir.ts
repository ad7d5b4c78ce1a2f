/**
 * The per-user directory where processes of one user meet to agree on one SSO login:
 * `$XDG_RUNTIME_DIR/cred-supervisor` (a tmpfs only this user can enter), else
 * `<tmp>/cred-supervisor-<uid>`. In a shared /tmp another user could create that name first and
 * watch or block our logins, so the directory must be ours, a real directory, and closed to others.
 */
import { lstat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CredentialProblem } from '../credentials/errors.js';

export function runtimeDirPath(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.()): string {
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'cred-supervisor');
  return path.join(tmpdir(), `cred-supervisor-${uid ?? 'user'}`);
}

export async function ensureRuntimeDir(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const uid = process.getuid?.();
  const dir = runtimeDirPath(env, uid);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stats = await lstat(dir);
  const refuse = (what: string) =>
    new CredentialProblem(
      'UNSAFE_PERMISSIONS',
      `${dir}, where cred-supervisor processes agree on one SSO login, ${what}.`,
      `Remove it (rm -rf ${dir}) or set XDG_RUNTIME_DIR to a directory only you can use.`,
    );
  if (!stats.isDirectory()) throw refuse('is not a directory (a symlink?)');
  if (uid !== undefined && stats.uid !== uid) throw refuse(`belongs to another user (uid ${stats.uid})`);
  if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
    throw refuse(`is open to other users (mode ${(stats.mode & 0o777).toString(8)})`);
  }
  return dir;
}
