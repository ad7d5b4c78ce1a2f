import type { Logger } from 'pino';
import type { RecordedGroup } from '../child/child-runner.js';
import type { TerminalStream } from '../child/children.js';
import { effectiveStopBeforeMs, type SupervisorOptions } from '../config/options.js';
import type { StatusSnapshot } from '../control/status.js';
import type { MfaCodePrompt } from '../credentials/mfa-prompt.js';
import type { ProcessSpec } from '../procfile/process-spec.js';
import type { AttentionChannels } from '../prompt/call-for-attention.js';
import { type Clock, clockFromEnv } from '../timers/clock.js';
import type { VerifyOptions } from '../verify/verify-credentials.js';
import { type BackoffPolicy, DEFAULT_BACKOFF_POLICY } from './backoff.js';
import type { MachineConfig } from './types.js';

export type { TerminalStream } from '../child/children.js';

export interface SupervisorConfig {
  options: SupervisorOptions;
  /** Several commands under one credential session (`--procfile`, config `processes`); `command` is then unused. */
  processes?: readonly ProcessSpec[];
  /** The command line to supervise (already defaulted to `cdk watch --hotswap-fallback`). */
  command: readonly string[];
  cwd: string;
  /** The person's environment: the child's is built from it, and the sources read it. */
  env: NodeJS.ProcessEnv;
  stdout: TerminalStream;
  stderr: TerminalStream;
  /** Keys are handled and someone can answer: `fatal` waits for `r` instead of exiting. */
  interactive: boolean;
  /**
   * stdout and stderr reach the same place (a terminal, or `2>&1`): our lines must then wait for the
   * child's stdout lines too. Default: both are terminals.
   */
  sharedOutput?: boolean;
  logger?: Logger;
  /** Told the child's process group whenever it changes (null once gone), for the lock's record. */
  onChildGroup?: (group: RecordedGroup | null) => void;
  /** With several commands: told every group after the first whenever they change. */
  onOtherChildGroups?: (groups: RecordedGroup[]) => void;
  promptMfaCode?: MfaCodePrompt;
  /** Settings for STS calls (the demo's local STS endpoint, test timeouts). */
  verifyOptions?: Partial<VerifyOptions>;
  /** The endpoint's advertised lease (default 60 s; the demo and tests use shorter ones). */
  leaseMs?: number;
  backoff?: BackoffPolicy;
  /** Arm the watchdog that kills the child's group if the supervisor is SIGKILLed (default true). */
  watchdog?: boolean;
  /** Files the watchdog removes if the supervisor is SIGKILLed: what says it runs (the tmux segments). */
  removeIfSupervisorDies?: readonly string[];
  /** Wall and monotonic time and timers (default: the system's). */
  clock?: Clock;
  /** Wall-clock time only; kept for callers from before `clock`. */
  now?: () => number;
}

export interface SupervisorEvents {
  /** Every transition, with the status snapshot after it. */
  state: [StatusSnapshot];
  /** The child's leader exited (whoever caused it). */
  'child-exit': [{ code: number | null; signal: string | null }];
  /** The credentials the child uses were found expired or revoked. */
  'credentials-expired': [{ kind: 'expired' | 'revoked' }];
  /** The endpoint handed credentials to the child. */
  served: [{ accessKeyId: string }];
  /** The wall clock jumped against the monotonic one by this many ms (a wake from sleep). */
  'clock-jumped': [number];
}

/** A credential source that never answers (a hung credential_process) must not stall the machine. */
export function resolveTimeoutMs(interactive: boolean): number {
  return interactive ? 180_000 : 60_000;
}

/**
 * An MFA question gives up this long before the resolution waiting for it, so the person is told the
 * MFA problem (with its fix), not a bare timeout.
 */
export function mfaQuestionTimeoutMs(interactive: boolean): number {
  return resolveTimeoutMs(interactive) - 10_000;
}

/** The machine's settings at start; the delivery and `rotateByRestart` follow the route once it is known. */
export function machineConfig(config: SupervisorConfig): MachineConfig {
  const { options } = config;
  return {
    delivery: options.delivery,
    refreshBeforeMs: options.refreshBeforeMs,
    stopBeforeMs: effectiveStopBeforeMs(options),
    backoff: config.backoff ?? DEFAULT_BACKOFF_POLICY,
    exitOnFatal: !config.interactive,
  };
}

/** The clock the supervisor's timers run on: the given one (tests), else the system's. */
export function clockFor(config: SupervisorConfig): Clock {
  const base = config.clock ?? clockFromEnv(config.env);
  return config.now ? { ...base, now: config.now } : base;
}

/** Where `watch` calls for the person's attention: the bell on our stderr, tmux, --notify-command. */
export function attentionChannels(config: SupervisorConfig): AttentionChannels {
  const { env, stderr, logger, options } = config;
  return {
    env,
    notifyCommand: options.notifyCommand,
    terminal: stderr,
    onError: (channel, err) => logger?.warn({ event: 'notify-failed', channel, err }, 'notification failed'),
  };
}
