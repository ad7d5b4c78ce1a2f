/**
 * Output for a reader that may leave early, and one short answer written straight to file descriptor
 * 1 for the answers given before anything else loads (`--version`, the tmux status segment): creating
 * `process.stdout` costs a few ms at each call, as for a pipe (tmux, `$(…)`) Node first loads its
 * socket and stream modules.
 */
import { writeSync } from 'node:fs';

/**
 * A reader that stops early (`cred-supervisor check --help | head -2`) makes the next write fail with
 * EPIPE. Nothing more can be shown to a reader that left, so the command just finishes; any other
 * write error is a real fault and is thrown.
 */
export function ignoreReaderGone(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

export function writeStdoutNow(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (error) {
    // A full non-blocking pipe: the stream queues the rest and writes it before the process exits.
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
      process.stdout.on('error', ignoreReaderGone).write(bytes.subarray(offset));
      return;
    }
    ignoreReaderGone(error as NodeJS.ErrnoException);
  }
}
