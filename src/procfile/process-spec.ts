/**
 * One long-running command of a multi-process `watch` (a Procfile line or a config `processes` entry),
 * after validation. Every child of one supervisor shares its credential session; these are the facts
 * that differ per child.
 */
export const RESTART_POLICIES = ['always', 'on-failure', 'never'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** A name as foreman, honcho and overmind accept it: it becomes the output prefix and `restart NAME`. */
export const PROCESS_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

export interface ProcessSpec {
  name: string;
  /** A shell command line, run by `sh -c` like foreman does (env assignments and pipes allowed). */
  command: string;
  /** Where it runs; undefined: the supervisor's own directory. Relative paths are as written. */
  cwd?: string;
  /** Per-child delivery override; undefined: the supervisor's `--delivery`. */
  delivery?: 'endpoint' | 'env' | 'profile';
  restart: RestartPolicy;
  /** Where it was declared, for messages: `Procfile.dev:3` or `config processes.api`. */
  origin: string;
}

/** The default matches foreman: a crashed process is restarted (with backoff), a clean exit is not. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = 'on-failure';
