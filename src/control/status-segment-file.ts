/**
 * The supervisor's side of the cheap status line: it rewrites the tmux segments (unicode and ASCII)
 * whenever its state changes and whenever the countdown they show changes (each minute; every 5 s in
 * the last minute), so a `cat` is as current as `status --format tmux` to the minute. The files go
 * when the supervisor stops; if it is SIGKILLed, the child's watchdog removes them (run-watch.ts).
 */
import fs from 'node:fs';
import { formatStatusTmux, type StatusSnapshot } from './status.js';
import { SEGMENT_STYLES, statusSegmentFiles, statusSegmentPath } from './status-segment.js';

export interface StatusSegmentFile {
  /** Rewrite now (call on every state change). */
  update(): void;
  /** Stop the timer and remove the files. */
  close(): void;
}

/** Milliseconds until the countdown the segment shows next changes, or null when it shows none. */
export function msUntilSegmentChanges(snapshot: StatusSnapshot, now: Date): number | null {
  if (snapshot.state !== 'running' || snapshot.credentials.expiresAt === null) return null;
  const left = Date.parse(snapshot.credentials.expiresAt) - now.getTime();
  if (!Number.isFinite(left) || left <= 0) return null;
  // Whole minutes above a minute (`42m`, `1h05m`), seconds below it (`35s`), shown in 5 s steps.
  const step = left > 60_000 ? 60_000 : 5000;
  // One millisecond past the step, so the text has changed when the timer fires.
  return (left % step) + 1;
}

export function keepStatusSegment(stateDir: string, getStatus: () => StatusSnapshot): StatusSegmentFile {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const write = () => {
    clearTimeout(timer);
    if (closed) return;
    const now = new Date();
    const snapshot = getStatus();
    for (const style of SEGMENT_STYLES) {
      const text = `${formatStatusTmux(snapshot, now, { ascii: style === 'tmux-ascii' })}\n`;
      writeAtomically(statusSegmentPath(stateDir, style), text);
    }
    const next = msUntilSegmentChanges(snapshot, now);
    if (next !== null) timer = setTimeout(write, next).unref();
  };

  write();
  return {
    update: write,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const file of statusSegmentFiles(stateDir)) fs.rmSync(file, { force: true });
    },
  };
}

/**
 * A reader never sees half a segment. A write that fails (a full disk, a read-only directory) is
 * not an error of the supervisor: the stale segment is removed if it can be, and `status --format
 * tmux` then asks the supervisor over its socket instead.
 */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, text, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch {
    for (const leftover of [temporary, file]) {
      try {
        fs.rmSync(leftover, { force: true });
      } catch {}
    }
  }
}
