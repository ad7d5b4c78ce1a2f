/**
 * The options watch/check/exec share (PRODUCT.md "Commands"), defined once. Flags are validated as they
 * are parsed (so a bad value is a usage error naming the flag) and carry no defaults: `buildOptions`
 * applies the defaults, so it can tell a flag the person gave from one they did not (a config file
 * value must win over a default but lose to a flag).
 */
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../config/duration.js';
import { ConfigError } from '../config/errors.js';
import type { OptionValues } from '../config/option-rules.js';
import {
  DEFAULT_STATE_DIR,
  type Delivery,
  defaultOptions,
  type LogLevel,
  type SupervisorOptions,
} from '../config/options.js';
import { SSO_LOGIN_MODES, type SsoLoginMode } from '../sso/login-policy.js';
import { UsageError } from './errors.js';

/** What commander hands the action for the shared options (durations already in ms). */
export interface SharedFlags {
  profile?: string;
  credentialsFile?: string;
  region?: string;
  expectAccount?: string;
  delivery?: Delivery;
  refreshBefore?: number;
  checkSchedule?: string;
  stopGrace?: number;
  stateDir?: string;
  logFile?: string;
  logLevel?: LogLevel;
  notifyCommand?: string;
  ssoLogin?: SsoLoginMode;
}

export const DELIVERIES: readonly Delivery[] = ['endpoint', 'env', 'profile'];
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`. */
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;

function durationParser(flag: string): (value: string) => number {
  return (value) => {
    try {
      return parseDuration(value, flag);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

function parseRegion(value: string): string {
  if (!REGION.test(value)) {
    throw new InvalidArgumentError(
      `Expected \`--region\` to be an AWS region like eu-west-1, got \`${value}\`.`,
    );
  }
  return value;
}

function parseAccount(value: string): string {
  const trimmed = value.trim();
  if (!ACCOUNT_ID.test(trimmed)) {
    throw new InvalidArgumentError(
      `Expected \`--expect-account\` to be a 12-digit account id, got \`${value}\`.`,
    );
  }
  return trimmed;
}

function nonEmpty(flag: string): (value: string) => string {
  return (value) => {
    if (value.trim() === '') throw new InvalidArgumentError(`Expected \`${flag}\` to be non-empty.`);
    return value;
  };
}

/** `--state-dir`, also used alone by status/reload/stop/init to find the supervisor. */
export function stateDirOption(): Option {
  return new Option('--state-dir <path>', `lock, state and log directory (default: ${DEFAULT_STATE_DIR})`)
    .argParser(nonEmpty('--state-dir'))
    .helpGroup('Supervisor options:');
}

function sharedOptions(): Option[] {
  const credentials = 'Credential options:';
  const supervisor = 'Supervisor options:';
  return [
    new Option('--profile <name>', 'AWS profile (SSO, assume-role with MFA, credential_process, static)')
      .argParser(nonEmpty('--profile'))
      .helpGroup(credentials),
    new Option(
      '--credentials-file <path>',
      'the file you rewrite with fresh credentials (default: <state-dir>/credentials)',
    )
      .argParser(nonEmpty('--credentials-file'))
      .helpGroup(credentials),
    new Option('--region <region>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)')
      .argParser(parseRegion)
      .helpGroup(credentials),
    new Option('--expect-account <id>', 'refuse credentials for any other account')
      .argParser(parseAccount)
      .helpGroup(credentials),
    new Option('--delivery <how>', 'how the child gets credentials (default: endpoint)')
      .choices(DELIVERIES)
      .helpGroup(supervisor),
    new Option('--refresh-before <duration>', 'refresh this long before expiry, e.g. 10m (default: 10m)')
      .argParser(durationParser('--refresh-before'))
      .helpGroup(supervisor),
    new Option('--check-schedule <cron>', 'when to probe STS, node-cron syntax (default: "* * * * *")')
      .argParser(nonEmpty('--check-schedule'))
      .helpGroup(supervisor),
    new Option('--stop-grace <duration>', 'time between SIGINT, SIGTERM and SIGKILL (default: 5s)')
      .argParser(durationParser('--stop-grace'))
      .helpGroup(supervisor),
    stateDirOption(),
    new Option('--log-file <path>', 'JSON log file (default: <state-dir>/supervisor.log)')
      .argParser(nonEmpty('--log-file'))
      .helpGroup(supervisor),
    new Option('--log-level <level>', 'log file level (default: info)')
      .choices(LOG_LEVELS)
      .helpGroup(supervisor),
    new Option('--notify-command <cmd>', 'run this when credentials are needed')
      .argParser(nonEmpty('--notify-command'))
      .helpGroup(supervisor),
    new Option(
      '--sso-login <mode>',
      'when the SSO session ends: auto (log in; the default), prompt (ask first), never (only tell)',
    )
      // No commander default: an absent flag stays absent, so the config file's `ssoLogin` applies.
      .choices(SSO_LOGIN_MODES)
      .helpGroup(supervisor),
  ];
}

export function addSharedOptions(command: Command): Command {
  for (const option of sharedOptions()) command.addOption(option);
  return command;
}

async function validateSchedule(schedule: string): Promise<void> {
  const { validate } = await import('node-cron');
  if (!validate(schedule)) {
    throw new UsageError(
      `Expected \`--check-schedule\` to be a cron expression (node-cron syntax: 5 fields, or 6 with leading seconds), got \`${schedule}\`.`,
    );
  }
}

export interface BuildOptionsSettings {
  /** Told about config-file facts that are not errors (a package.json section shadowed by the file). */
  onWarning?: (message: string) => void;
  /** Where the config file and default state dir are (the project root); flags still resolve against `cwd`. */
  projectDir?: string;
}

/**
 * Flags → `SupervisorOptions`: the defaults for `cwd`, then the project's config file
 * (`cred-supervisor.config.json`, else package.json#credSupervisor, in `cwd`), then the flags: flags
 * win. Relative paths resolve against `cwd`; the default credentials and log files follow the state
 * dir. The config's `command` (what `watch` runs when none is given after `--`) comes back as
 * `options.command`. A config that cannot be used is a UsageError listing every problem.
 */
export async function buildOptions(
  flags: SharedFlags,
  cwd: string,
  settings: BuildOptionsSettings = {},
): Promise<SupervisorOptions> {
  // Flags were parsed by commander already; only the schedule needs node-cron, loaded when one is given.
  if (flags.checkSchedule !== undefined) await validateSchedule(flags.checkSchedule);
  // Loaded on use (zod, jsonc-parser, node-cron): `--help` and commands that never read options
  // (init, demo) do not pay for them.
  const [{ loadConfigFile }, { mergeOptions }] = await Promise.all([
    import('../config/config-file.js'),
    import('../config/merge-options.js'),
  ]);
  const projectDir = path.resolve(settings.projectDir ?? cwd);
  const config = await loadConfigFile(projectDir).catch((error: unknown) => {
    throw error instanceof ConfigError ? configUsageError(error, projectDir) : error;
  });
  for (const warning of config?.warnings ?? []) settings.onWarning?.(warning);
  return mergeOptions(defaultOptions(projectDir), config?.values, flagValues(flags), {
    projectDir,
    cwd: path.resolve(cwd),
  });
}

/**
 * Commander's flags under the names the merged options use (durations are already milliseconds).
 * Listed one by one: the object commander hands over also holds the command's own flags (`--json`),
 * which must not end up in the options.
 */
function flagValues(flags: SharedFlags): OptionValues {
  return {
    profile: flags.profile,
    credentialsFile: flags.credentialsFile,
    region: flags.region,
    expectAccount: flags.expectAccount,
    delivery: flags.delivery,
    refreshBeforeMs: flags.refreshBefore,
    checkSchedule: flags.checkSchedule,
    stopGraceMs: flags.stopGrace,
    stateDir: flags.stateDir,
    logFile: flags.logFile,
    logLevel: flags.logLevel,
    notifyCommand: flags.notifyCommand,
    ssoLogin: flags.ssoLogin,
  };
}

function configUsageError(error: ConfigError, projectDir: string): UsageError {
  const problems = error.problems.map((problem) => `  - ${problem}`).join('\n');
  return new UsageError(
    `The cred-supervisor configuration in ${projectDir} cannot be used:\n${problems}\n` +
      'Fix the config file and run again.',
  );
}
