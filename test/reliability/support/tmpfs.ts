/**
 * A small tmpfs of our own, to give the supervisor a state directory that fills up (ENOSPC) or turns
 * read-only (EROFS) while it runs. Mounting needs root (or CAP_SYS_ADMIN); where that is not allowed,
 * `mountTmpfs` returns null and says why, and the test using it is skipped with that reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Tmpfs {
  dir: string;
  /** Writes filler until the file system is full; the next write of a page fails with ENOSPC. */
  fill(): void;
  /** Removes the filler again. */
  free(): void;
  /** Puts a read-only file system in its place: every later write under `dir` fails with EROFS. */
  readOnly(): void;
  unmount(): void;
}

/** Why tmpfs tests cannot run here, or null when they can. */
export function tmpfsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'tmpfs mounts are Linux-only';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const probe = mountTmpfs(64);
  if (!probe) return '`mount -t tmpfs` is not allowed here (no CAP_SYS_ADMIN?)';
  probe.unmount();
  return null;
}

export function mountTmpfs(sizeKb: number): Tmpfs | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=700`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  let mounted = true;
  return {
    dir,
    fill() {
      for (let i = 0; ; i++) {
        try {
          writeFileSync(path.join(dir, `filler-${i}`), Buffer.alloc(64 * 1024));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return;
          throw error;
        }
      }
    },
    free() {
      for (const name of readdirSync(dir)) {
        if (name.startsWith('filler-')) rmSync(path.join(dir, name), { force: true });
      }
    },
    readOnly() {
      // `remount,ro` is refused while the supervisor has its log open for writing; a read-only file
      // system put in its place does the same to every later write (files already open keep
      // writing to the old one, as on a disk remounted read-only by the kernel after an error).
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k,mode=700', 'tmpfs', dir], { stdio: 'ignore' });
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      // Lazy: a process that still has a file open there must not make the clean-up fail.
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
