/**
 * Every timer the supervisor runs, behind one object on one injectable clock: the expiry timers of the
 * credentials in use, the backoff retries, the --check-schedule ticks, the clock-jump watch and the
 * time limits on slow work. One place to re-arm after a clock jump, one place to cancel at the end.
 */
import { startCheckSchedule } from '../supervisor/check-schedule.js';
import type { Clock } from './clock.js';
import { watchClockJumps } from './clock-jump.js';
import { armAt, armExpiryTimers } from './expiry-timers.js';

export interface SupervisorTimerHandlers<Purpose extends string> {
  onRefreshDue: (expiresAt: number) => void;
  /** --stop-before and its handler (watch stops the child then if nothing fresher was verified). */
  stopBefore?: { ms: number; onStopDue: (expiresAt: number) => void };
  onExpired: (expiresAt: number) => void;
  onBackoffElapsed: (purpose: Purpose) => void;
  onProbeDue: () => void;
  onClockJump: (skewMs: number) => void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export class SupervisorTimers<Purpose extends string> {
  private cancelExpiry: (() => void) | undefined;
  private readonly backoff = new Map<Purpose, unknown>();
  private readonly limits = new Set<unknown>();
  private stopSchedule: (() => void) | undefined;
  private stopClockWatch: (() => void) | undefined;
  private cancelRotationCheck: (() => void) | undefined;

  constructor(
    readonly clock: Clock,
    private readonly refreshBeforeMs: number,
    private readonly handlers: SupervisorTimerHandlers<Purpose>,
  ) {}

  /** Starts the --check-schedule ticks and the clock-jump watch. */
  start(checkSchedule: string): void {
    const log = this.handlers.log;
    this.stopSchedule = startCheckSchedule(checkSchedule, () => this.handlers.onProbeDue(), {
      ...(log ? { log } : {}),
    });
    this.stopClockWatch = watchClockJumps({ clock: this.clock, onJump: this.handlers.onClockJump });
  }

  /** (Re)arms the refresh-due and expired timers for `expiresAt`, or cancels them (null). */
  trackExpiry(expiresAt: number | null): void {
    this.cancelExpiry?.();
    this.cancelExpiry = undefined;
    if (expiresAt === null) return;
    this.cancelExpiry = armExpiryTimers(
      {
        expiresAt,
        refreshBeforeMs: this.refreshBeforeMs,
        onRefreshDue: this.handlers.onRefreshDue,
        ...(this.handlers.stopBefore ? { stopBefore: this.handlers.stopBefore } : {}),
        onExpired: this.handlers.onExpired,
      },
      this.clock,
    );
  }

  /** Calls `check` at `dueAt` (wall clock); replaces the check armed for an earlier rotation. */
  armRotationCheck(dueAt: number, check: () => void): void {
    this.cancelRotationCheck?.();
    this.cancelRotationCheck = armAt(dueAt, check, this.clock);
  }

  /** Arms (replaces) the retry timer for `purpose`. */
  scheduleBackoff(purpose: Purpose, delayMs: number): void {
    this.clock.clearTimeout(this.backoff.get(purpose));
    const handle = this.clock.setTimeout(() => {
      this.backoff.delete(purpose);
      this.handlers.onBackoffElapsed(purpose);
    }, delayMs);
    this.backoff.set(purpose, handle);
  }

  /** `work`, or `onTimeout()` when it takes longer than `ms`. */
  async limit<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
    let handle: unknown;
    const late = new Promise<T>((resolve) => {
      handle = this.clock.setTimeout(() => resolve(onTimeout()), ms);
      this.limits.add(handle);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      this.clock.clearTimeout(handle);
      this.limits.delete(handle);
    }
  }

  cancelAll(): void {
    this.stopSchedule?.();
    this.stopClockWatch?.();
    this.cancelRotationCheck?.();
    this.trackExpiry(null);
    for (const handle of [...this.backoff.values(), ...this.limits]) this.clock.clearTimeout(handle);
    this.backoff.clear();
    this.limits.clear();
  }
}
