/**
 * The options watch/check/exec share (docs/usage.md "Commands"), defined once. Each flag is checked as it
 * is parsed by the same zod rule as the config file's key (config/option-rules.ts), so a bad value is a
 * usage error naming the flag, and the flag and the file can never disagree on what is valid. Flags
 * carry no defaults: `buildOptions` applies them, so a config file value wins over a default but loses
 * to a flag.
 */
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config/errors.js';
import type { OptionFlags } from '../config/merge-options.js';
import { checkFlagValue, type OptionKey } from '../config/option-rules.js';
import { DELIVERIES, LOG_LEVELS, type SupervisorOptions } from '../config/options.js';
import { SSO_LOGIN_MODES } from '../sso/login-policy.js';
import { stateDirOption } from './control-options.js';
import { UsageError } from './errors.js';

/** What commander hands the action for the shared options: the values as typed, already checked. */
export type SharedFlags = OptionFlags;

/** A commander parser from the config file's rule for `key`. */
function ruleParser(key: OptionKey): (value: string) => string {
  return (value) => {
    try {
      return checkFlagValue(key, value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

export { stateDirOption };

function sharedOptions(): Option[] {
  const credentials = 'Credential options:';
  const supervisor = 'Supervisor options:';
  return [
    new Option('--profile <name>', 'AWS profile (SSO, assume-role with MFA, credential_process, static)')
      .argParser(ruleParser('profile'))
      .helpGroup(credentials),
    new Option(
      '--credentials-file <path>',
      'the file you rewrite with fresh credentials (default: <state-dir>/credentials)',
    )
      .argParser(ruleParser('credentialsFile'))
      .helpGroup(credentials),
    new Option(
      '--region <region>',
      "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1)",
    )
      .argParser(ruleParser('region'))
      .helpGroup(credentials),
    new Option('--expect-account <id>', 'refuse credentials for any other account')
      .argParser(ruleParser('expectAccount'))
      .helpGroup(credentials),
    new Option('--delivery <how>', 'how the child gets credentials (default: endpoint)')
      .choices(DELIVERIES)
      .helpGroup(supervisor),
    new Option(
      '--refresh-before <duration>',
      'start refreshing and warn this long before expiry (default: 10m)',
    )
      .argParser(ruleParser('refreshBefore'))
      .helpGroup(supervisor),
    new Option(
      '--stop-before <duration>',
      'stop the command this long before expiry if nothing fresher came, e.g. 1m (default: 1m)',
    )
      .argParser(ruleParser('stopBefore'))
      .helpGroup(supervisor),
    new Option('--check-schedule <cron>', 'when to probe STS, node-cron syntax (default: "* * * * *")')
      .argParser(ruleParser('checkSchedule'))
      .helpGroup(supervisor),
    new Option('--stop-grace <duration>', 'time between SIGINT, SIGTERM and SIGKILL (default: 5s)')
      .argParser(ruleParser('stopGrace'))
      .helpGroup(supervisor),
    stateDirOption(),
    new Option('--log-file <path>', 'JSON log file (default: <state-dir>/supervisor.log)')
      .argParser(ruleParser('logFile'))
      .helpGroup(supervisor),
    new Option('--log-level <level>', 'log file level (default: info)')
      .choices(LOG_LEVELS)
      .helpGroup(supervisor),
    new Option('--notify-command <cmd>', 'run this when credentials are needed')
      .argParser(ruleParser('notifyCommand'))
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
  // Loaded on use (zod, jsonc-parser, node-cron): `--help` and commands that never read options
  // (init, demo) do not pay for them.
  const { resolveOptions } = await import('../config/merge-options.js');
  const projectDir = path.resolve(settings.projectDir ?? cwd);
  const { options, config } = await resolveOptions(projectDir, flags, path.resolve(cwd)).catch(
    (error: unknown) => {
      throw error instanceof ConfigError ? configUsageError(error, projectDir) : error;
    },
  );
  for (const warning of config?.warnings ?? []) settings.onWarning?.(warning);
  return options;
}

function configUsageError(error: ConfigError, projectDir: string): UsageError {
  if (error.inFlags) return new UsageError(`${error.problems.join('\n')}.`);
  const problems = error.problems.map((problem) => `  - ${problem}`).join('\n');
  return new UsageError(
    `The cred-supervisor configuration in ${projectDir} cannot be used:\n${problems}\n` +
      'Fix the config file and run again.',
  );
}
