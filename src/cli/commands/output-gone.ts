/**
 * The terminal (or whatever reads our output: `| tee`, a tmux pane) can go away without a SIGHUP
 * reaching us. Writing then fails with EPIPE or EIO, which Node reports as an 'error' event on
 * process.stdout/stderr: unhandled, it crashed the supervisor and left the child's group to the
 * watchdog. It now means what SIGHUP means: stop everything, once.
 */
import type { OutputStream } from '../cli-io.js';

interface ErrorEmitter {
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

function canEmitErrors(stream: OutputStream): stream is OutputStream & ErrorEmitter {
  return typeof (stream as Partial<ErrorEmitter>).on === 'function';
}

/**
 * Calls `onGone` the first time a write to one of `streams` fails; that and every later write error
 * is swallowed (nothing can be shown any more). The handlers stay for the life of the process: a
 * write during the shutdown may fail too.
 */
export function onOutputGone(
  streams: readonly OutputStream[],
  onGone: (error: NodeJS.ErrnoException) => void,
): void {
  let gone = false;
  const handler = (error: NodeJS.ErrnoException) => {
    if (gone) return;
    gone = true;
    onGone(error);
  };
  for (const stream of new Set(streams)) if (canEmitErrors(stream)) stream.on('error', handler);
}
