/**
 * Where the supervisor keeps its ready-made tmux segments (see status-segment-file.ts): plain files a
 * status line can `cat` every few seconds for the cost of a `cat`, instead of starting Node.
 */
import path from 'node:path';

export type SegmentStyle = 'tmux' | 'tmux-ascii';

export const SEGMENT_STYLES: readonly SegmentStyle[] = ['tmux', 'tmux-ascii'];

export function statusSegmentPath(stateDir: string, style: SegmentStyle): string {
  return path.join(stateDir, style === 'tmux' ? 'status-segment' : 'status-segment-ascii');
}

/** Every segment file the supervisor keeps in `stateDir`. */
export function statusSegmentFiles(stateDir: string): string[] {
  return SEGMENT_STYLES.map((style) => statusSegmentPath(stateDir, style));
}
