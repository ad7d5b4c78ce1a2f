/**
 * The process-level last resort of `watch`: an error that escaped every handler (a bug, or a
 * library emitting an 'error' nobody listens to) must not leave the child running without its
 * supervisor, nor a lock, state record and socket that say a supervisor still runs. It logs the
 * error, stops the child's process group (SIGTERM, then SIGKILL after a short grace), releases the
 * lock and exits with {@link EXIT_INTERNAL_ERROR}.
 */
import fs from 'node:fs';
import type { Logger } from 'pino';
import { getOwnProcessGroupId } from '../child/process-group-members.js';
import { isProcessGroupGone } from '../child/process-liveness.js';
import type { SupervisorLock } from './lock.js';

/** EX_SOFTWARE from sysexits.h: an internal error, told apart from the product's own exit codes. */
export const EXIT_INTERNAL_ERROR = 70;

/** How long the child group gets after SIGTERM before SIGKILL: the process is in an unknown state. */
const CRASH_GRACE_MS = 2000;
const POLL_MS = 25;

export interface LastResortOptions {
  lock: Pick<SupervisorLock, 'childPgid' | 'socketPath' | 'releaseSync'>;
  logger?: Logger;
  /** Where the one line for the person goes (the terminal). */
  stderr: { write(text: string): unknown };
  /** Ends the process (tests replace it). Default: `process.exit`. */
  exit?: (code: number) => void;
}

/** Installs the handlers; returns a function that removes them. */
export function installLastResort(options: LastResortOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let handling = false;
  const onFatal = (error: unknown, origin: string) => {
    const pgid = options.lock.childPgid;
    if (handling) {
      // A second error while handling the first: no more waiting.
      signalGroup(pgid, 'SIGKILL');
      return;
    }
    handling = true;
    const message = error instanceof Error ? error.message : String(error);
    try {
      options.logger?.fatal({ event: 'internal-error', origin, err: error }, 'internal error: exiting');
    } catch {
      // Logging must not stand between the error and the clean-up.
    }
    say(
      options.stderr,
      `[cred-supervisor] internal error (${message}); stopping the command and exiting (code ${EXIT_INTERNAL_ERROR}).\n`,
    );
    void stopGroup(pgid).finally(() => {
      removeSocket(options.lock.socketPath);
      try {
        options.lock.releaseSync();
      } catch {
        // The next start takes over a lock whose holder is gone.
      }
      exit(EXIT_INTERNAL_ERROR);
    });
  };
  const onException = (error: unknown) => onFatal(error, 'uncaughtException');
  const onRejection = (reason: unknown) => onFatal(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

async function stopGroup(pgid: number | null): Promise<void> {
  if (pgid === null || !signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + CRASH_GRACE_MS;
  while (!isProcessGroupGone(pgid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (!isProcessGroupGone(pgid)) signalGroup(pgid, 'SIGKILL');
}

/** False when there is no such group (any more). Never our own group: the child leads its own. */
function signalGroup(pgid: number | null, signal: NodeJS.Signals): boolean {
  if (pgid === null || pgid <= 1 || pgid === getOwnProcessGroupId()) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function removeSocket(socketPath: string | null): void {
  if (socketPath === null) return;
  try {
    fs.rmSync(socketPath, { force: true });
  } catch {
    // Left behind: the next start sees nobody answers on it and removes it.
  }
}

function say(stderr: LastResortOptions['stderr'], text: string): void {
  try {
    stderr.write(text);
  } catch {
    // The terminal is gone (EPIPE): the log has it.
  }
}
