import path from 'node:path';
import { type LoadedConfig, loadConfigFile } from './config-file.js';
import { formatDuration } from './duration.js';
import { ConfigError } from './errors.js';
import { type OptionValues, validateOptions } from './option-rules.js';
import {
  DEFAULT_CREDENTIALS_FILE_NAME,
  DEFAULT_LOG_FILE_NAME,
  defaultOptions,
  effectiveStopBeforeMs,
  type SupervisorOptions,
} from './options.js';

/** The shared options as commander hands them over (camelCase, strings, undefined when absent). */
export interface OptionFlags {
  profile?: string;
  credentialsFile?: string;
  region?: string;
  expectAccount?: string;
  delivery?: string;
  refreshBefore?: string;
  stopBefore?: string;
  checkSchedule?: string;
  stopGrace?: string;
  stateDir?: string;
  logFile?: string;
  logLevel?: string;
  notifyCommand?: string;
  ssoLogin?: string;
}

const FLAG_KEYS: readonly (keyof OptionFlags)[] = [
  'profile',
  'credentialsFile',
  'region',
  'expectAccount',
  'delivery',
  'refreshBefore',
  'stopBefore',
  'checkSchedule',
  'stopGrace',
  'stateDir',
  'logFile',
  'logLevel',
  'notifyCommand',
  'ssoLogin',
];

/** Validates flags with the config file's rules; messages name the flag (`--refresh-before`). */
export function normalizeFlags(flags: OptionFlags): OptionValues {
  // Only the option flags: commander's object also carries command-specific ones (--json...).
  const raw = Object.fromEntries(FLAG_KEYS.map((key) => [key, flags[key]]));
  const { values, problems } = validateOptions(raw, true);
  if (problems.length > 0) throw new ConfigError(problems, true);
  return values;
}

export interface MergeDirs {
  /** Relative paths in the config file are resolved against this folder. */
  projectDir: string;
  /** Relative paths in flags are resolved against this one. Default: projectDir. */
  cwd?: string;
}

/**
 * Defaults, then the config file, then flags: flags win. Relative paths are resolved (config against
 * the project, flags against the working directory). A state dir set in config or flags moves the
 * default log file and credentials file with it; an explicitly set one stays where it was put.
 */
export function mergeOptions(
  defaults: SupervisorOptions,
  config: OptionValues | undefined,
  flags: OptionValues,
  dirs: MergeDirs,
): SupervisorOptions {
  const fromConfig = resolvePaths(config ?? {}, dirs.projectDir);
  const fromFlags = resolvePaths(flags, dirs.cwd ?? dirs.projectDir);
  const merged: SupervisorOptions = { ...defaults, ...definedOnly(fromConfig), ...definedOnly(fromFlags) };
  const explicit = (key: keyof OptionValues) => fromFlags[key] !== undefined || fromConfig[key] !== undefined;
  if (explicit('credentialsFile')) merged.credentialsFileExplicit = true;
  if (merged.stopBeforeMs > merged.refreshBeforeMs) {
    // Both given the wrong way round is a mistake to name; a default is pulled down.
    if (explicit('stopBeforeMs')) {
      throw new ConfigError(
        [
          `\`--stop-before\` (${formatDuration(merged.stopBeforeMs)}) must not be longer than \`--refresh-before\` (${formatDuration(merged.refreshBeforeMs)}): refreshing starts first, the stop comes last`,
        ],
        fromFlags.stopBeforeMs !== undefined,
      );
    }
    merged.stopBeforeMs = effectiveStopBeforeMs(merged);
  }
  if (explicit('stateDir')) {
    if (!explicit('logFile')) merged.logFile = path.join(merged.stateDir, DEFAULT_LOG_FILE_NAME);
    if (!explicit('credentialsFile')) {
      merged.credentialsFile = path.join(merged.stateDir, DEFAULT_CREDENTIALS_FILE_NAME);
    }
  }
  return merged;
}

export interface ResolvedOptions {
  options: SupervisorOptions;
  /** The config that was read, if any (its label and file, and warnings to show). */
  config: LoadedConfig | null;
}

/**
 * Everything the CLI needs: defaults for `projectDir`, its config file, then the flags (validated by
 * the config file's rules, `normalizeFlags`). `watch`, `check` and `exec` all come through here.
 */
export async function resolveOptions(
  projectDir: string,
  flags: OptionFlags,
  cwd: string = projectDir,
): Promise<ResolvedOptions> {
  const flagValues = normalizeFlags(flags);
  const config = await loadConfigFile(projectDir);
  const options = mergeOptions(defaultOptions(path.resolve(projectDir)), config?.values, flagValues, {
    projectDir: path.resolve(projectDir),
    cwd,
  });
  return { options, config };
}

const PATH_KEYS = ['credentialsFile', 'stateDir', 'logFile'] as const;

function resolvePaths(values: OptionValues, base: string): OptionValues {
  const out: OptionValues = { ...values };
  for (const key of PATH_KEYS) {
    const value = out[key];
    if (value !== undefined) out[key] = path.resolve(base, value);
  }
  return out;
}

function definedOnly(values: OptionValues): Partial<SupervisorOptions> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
