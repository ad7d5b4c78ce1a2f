/**
 * The options watch/check/exec share (PRODUCT.md "Commands"), defined once. Flags are validated as they
 * are parsed (so a bad value is a usage error naming the flag) and carry no defaults: `buildOptions`
 * applies the defaults, so it can tell a flag the person gave from one they did not (a config file
 * value must win over a default but lose to a flag).
 */
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../config/duration.js';
import {
  DEFAULT_STATE_DIR,
  type Delivery,
  defaultOptions,
  type LogLevel,
  type SupervisorOptions,
} from '../config/options.js';
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

/**
 * Flags → `SupervisorOptions`: defaults for `cwd`, then the flags; relative paths resolve against `cwd`,
 * and the default credentials and log files follow `--state-dir`.
 *
 * THE hook for the config file: merge its values between the defaults and the flags here.
 */
export async function buildOptions(flags: SharedFlags, cwd: string): Promise<SupervisorOptions> {
  const defaults = defaultOptions(cwd);
  const stateDir = flags.stateDir ? path.resolve(cwd, flags.stateDir) : defaults.stateDir;
  const options: SupervisorOptions = {
    ...defaults,
    stateDir,
    credentialsFile: flags.credentialsFile
      ? path.resolve(cwd, flags.credentialsFile)
      : path.join(stateDir, 'credentials'),
    logFile: flags.logFile ? path.resolve(cwd, flags.logFile) : path.join(stateDir, 'supervisor.log'),
  };
  if (flags.profile !== undefined) options.profile = flags.profile;
  if (flags.region !== undefined) options.region = flags.region;
  if (flags.expectAccount !== undefined) options.expectAccount = flags.expectAccount;
  if (flags.delivery !== undefined) options.delivery = flags.delivery;
  if (flags.refreshBefore !== undefined) options.refreshBeforeMs = flags.refreshBefore;
  if (flags.checkSchedule !== undefined) options.checkSchedule = flags.checkSchedule;
  if (flags.stopGrace !== undefined) options.stopGraceMs = flags.stopGrace;
  if (flags.logLevel !== undefined) options.logLevel = flags.logLevel;
  if (flags.notifyCommand !== undefined) options.notifyCommand = flags.notifyCommand;
  // The default is known good; loading node-cron only for a schedule someone wrote keeps `check` fast.
  if (options.checkSchedule !== defaults.checkSchedule) await validateSchedule(options.checkSchedule);
  return options;
}
