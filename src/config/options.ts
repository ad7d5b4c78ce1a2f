import path from 'node:path';

export type Delivery = 'endpoint' | 'env' | 'profile';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** The options shared by watch/check/exec, after defaults, config file and flags are merged. */
export interface SupervisorOptions {
  profile?: string;
  credentialsFile: string;
  region?: string;
  expectAccount?: string;
  delivery: Delivery;
  refreshBeforeMs: number;
  checkSchedule: string;
  stopGraceMs: number;
  stateDir: string;
  logFile: string;
  logLevel: LogLevel;
  notifyCommand?: string;
}

export const DEFAULT_STATE_DIR = '.cred-supervisor';
export const DEFAULT_CHECK_SCHEDULE = '* * * * *';
export const DEFAULT_REFRESH_BEFORE_MS = 10 * 60_000;
export const DEFAULT_STOP_GRACE_MS = 5_000;
export const DEFAULT_COMMAND = ['cdk', 'watch', '--hotswap-fallback'] as const;

/** Defaults for a directory; relative paths are resolved against `cwd`. */
export function defaultOptions(cwd: string): SupervisorOptions {
  const stateDir = path.resolve(cwd, DEFAULT_STATE_DIR);
  return {
    credentialsFile: path.join(stateDir, 'credentials'),
    delivery: 'endpoint',
    refreshBeforeMs: DEFAULT_REFRESH_BEFORE_MS,
    checkSchedule: DEFAULT_CHECK_SCHEDULE,
    stopGraceMs: DEFAULT_STOP_GRACE_MS,
    stateDir,
    logFile: path.join(stateDir, 'supervisor.log'),
    logLevel: 'info',
  };
}
