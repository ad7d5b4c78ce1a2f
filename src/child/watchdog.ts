import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { assertSignallableGroup } from './validate-pgid.js';
import { WATCHDOG_SCRIPT } from './watchdog-script.js';

export interface WatchdogOptions {
  /** The child's process group to clean up if the supervisor dies. */
  pgid: number;
  /** After SIGTERM, how long before SIGKILL. Default 1000 ms. */
  killAfterMs?: number;
  /**
   * How often the watchdog checks that the group still exists, to exit once it is gone (the pipe is
   * what reports the supervisor's death, at once). Default 5000 ms: each check forks a `sleep`.
   */
  pollMs?: number;
  /**
   * Files to remove if the supervisor dies without disarming: what says it is running to readers that
   * cannot check the process (the tmux segments a status line `cat`s).
   */
  removeIfSupervisorDies?: readonly string[];
  /** The POSIX shell that runs the watchdog. Default /bin/sh. */
  shellPath?: string;
}

export interface Watchdog {
  readonly pid: number;
  /**
   * The supervisor stopped (or saw the end of) the child itself: let the watchdog go without signalling.
   * Idempotent. Without it, the watchdog signals the group when the supervisor exits, on purpose: no
   * process of the child's group may outlive the supervisor.
   */
  disarm(): void;
}

/** Its argv[0], so `ps` (and the tests) can tell it from any other shell. */
export const WATCHDOG_NAME = 'cred-supervisor-watchdog';
const SCRIPT_VARIABLE = 'CRED_SUPERVISOR_WATCHDOG_SCRIPT';
/** The watchdog checks the group every 50 ms while it waits between SIGTERM and SIGKILL. */
const TICK_MS = 50;

function validateMs(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(
      `Expected \`${name}\` to be a positive integer of milliseconds, got \`${String(value)}\`.`,
    );
  }
}

/**
 * Starts a small detached `sh` process that kills the child's process group if this process dies in any
 * way (SIGKILL, a crash, an exit that forgot the child). It holds nothing of ours alive: the process
 * handle and the pipe are unref'd, so the supervisor exits when it is otherwise done.
 *
 * Uses `node:child_process` directly rather than execa: all it needs is a raw, unref'd pipe and none
 * of execa's result handling.
 */
export function startWatchdog(options: WatchdogOptions): Promise<Watchdog> {
  assertSignallableGroup(options.pgid);
  const killAfterMs = options.killAfterMs ?? 1000;
  const pollMs = options.pollMs ?? 5000;
  validateMs(killAfterMs, 'killAfterMs');
  validateMs(pollMs, 'pollMs');

  // The script travels in the environment so `ps` shows a short line. Nothing else of ours (no
  // credentials, no NODE_OPTIONS) is passed on: a fixed PATH, for `sleep`.
  const watchdog = spawn(
    options.shellPath ?? '/bin/sh',
    [
      '-c',
      `eval "$${SCRIPT_VARIABLE}"`,
      WATCHDOG_NAME,
      String(options.pgid),
      String(Math.ceil(killAfterMs / TICK_MS)),
      String(pollMs / 1000),
      ...(options.removeIfSupervisorDies ?? []),
    ],
    {
      argv0: WATCHDOG_NAME,
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { PATH: '/usr/bin:/bin', [SCRIPT_VARIABLE]: WATCHDOG_SCRIPT },
    },
  );
  const lifeline = watchdog.stdin as Writable & { unref?: () => void };
  // The watchdog may exit first (group gone); a later write must not crash us with EPIPE.
  lifeline.on('error', () => {});

  return new Promise((resolve, reject) => {
    watchdog.once('error', (error: NodeJS.ErrnoException) => {
      reject(new Error(`Could not start the watchdog process (${error.code ?? error.message}).`));
    });
    watchdog.once('spawn', () => {
      watchdog.unref();
      lifeline.unref?.();
      let disarmed = false;
      resolve({
        pid: watchdog.pid!,
        disarm() {
          if (disarmed) return;
          disarmed = true;
          if (!lifeline.destroyed) lifeline.end('disarm\n');
        },
      });
    });
  });
}
