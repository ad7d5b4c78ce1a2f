import path from 'node:path';
import type { ProcessSpec } from '../procfile/process-spec.js';
import type { SsoLoginMode } from '../sso/login-policy.js';

export const DELIVERIES = ['endpoint', 'env', 'profile'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type Delivery = (typeof DELIVERIES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The options shared by watch/check/exec, after defaults, config file and flags are merged. */
export interface SupervisorOptions {
  profile?: string;
  credentialsFile: string;
  /** The credentials file was named (flag or config file), rather than being the default. */
  credentialsFileExplicit?: boolean;
  region?: string;
  expectAccount?: string;
  delivery: Delivery;
  /** When refreshing starts and the person is warned; the child keeps running. */
  refreshBeforeMs: number;
  /** When the child is stopped if nothing fresher was verified. */
  stopBeforeMs: number;
  checkSchedule: string;
  stopGraceMs: number;
  stateDir: string;
  logFile: string;
  logLevel: LogLevel;
  notifyCommand?: string;
  /** When the SSO session ends: log in (`auto`, the default), ask first, or only tell. */
  ssoLogin?: SsoLoginMode;
  /** The command `watch` runs when none is given after `--` (config file `command`). */
  command?: string[];
  /** Several commands under one credential session (config file `processes`). */
  processes?: ProcessSpec[];
}

export const DEFAULT_STATE_DIR = '.cred-supervisor';
export const DEFAULT_CHECK_SCHEDULE = '* * * * *';
export const DEFAULT_REFRESH_BEFORE_MS = 10 * 60_000;
export const DEFAULT_STOP_BEFORE_MS = 60_000;
export const DEFAULT_STOP_GRACE_MS = 5_000;
export const DEFAULT_CREDENTIALS_FILE_NAME = 'credentials';
export const DEFAULT_LOG_FILE_NAME = 'supervisor.log';
export const DEFAULT_COMMAND = ['cdk', 'watch', '--hotswap-fallback'] as const;

/** Defaults for a directory; relative paths are resolved against `cwd`. */
export function defaultOptions(cwd: string): SupervisorOptions {
  const stateDir = path.resolve(cwd, DEFAULT_STATE_DIR);
  return {
    credentialsFile: path.join(stateDir, DEFAULT_CREDENTIALS_FILE_NAME),
    delivery: 'endpoint',
    refreshBeforeMs: DEFAULT_REFRESH_BEFORE_MS,
    stopBeforeMs: DEFAULT_STOP_BEFORE_MS,
    checkSchedule: DEFAULT_CHECK_SCHEDULE,
    stopGraceMs: DEFAULT_STOP_GRACE_MS,
    stateDir,
    logFile: path.join(stateDir, DEFAULT_LOG_FILE_NAME),
    logLevel: 'info',
  };
}

/**
 * --stop-before as it applies: shorter than --refresh-before (refreshing starts first, the stop comes
 * last), so a short --refresh-before (the demo, tests, 15-minute sessions) pulls it down to half of
 * it: at the same moment, the stop would race the refresh it is meant to wait for.
 */
export function effectiveStopBeforeMs(
  options: Pick<SupervisorOptions, 'stopBeforeMs' | 'refreshBeforeMs'>,
): number {
  if (options.stopBeforeMs < options.refreshBeforeMs) return options.stopBeforeMs;
  return Math.floor(options.refreshBeforeMs / 2);
}
