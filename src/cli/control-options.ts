/**
 * The options of the commands that only talk to a running supervisor (status, reload, stop). Kept apart
 * from shared-options.ts, which loads the config file's rules (zod, node-cron): these commands stay light.
 */
import { InvalidArgumentError, Option } from 'commander';
import { ACCOUNT_ID_PATTERN } from '../config/account-id.js';
import { DEFAULT_STATE_DIR } from '../config/options.js';

/** `--state-dir`, also used alone by status/reload/stop/init to find the supervisor. */
export function stateDirOption(): Option {
  return new Option('--state-dir <path>', `lock, state and log directory (default: ${DEFAULT_STATE_DIR})`)
    .argParser((value) => {
      if (value.trim() === '')
        throw new InvalidArgumentError('`--state-dir` must be a directory path, got ``.');
      return value;
    })
    .helpGroup('Supervisor options:');
}

/** `reload --accept-account ID`: the person confirms switching the command to that account. */
export function acceptAccountOption(): Option {
  return new Option(
    '--accept-account <id>',
    'confirm switching the command to this account (when the prompt says new credentials are for another one)',
  ).argParser((value) => {
    if (!ACCOUNT_ID_PATTERN.test(value.trim())) {
      throw new InvalidArgumentError(
        `\`--accept-account\` must be a 12-digit AWS account id, like 123456789012, got \`${value}\`.`,
      );
    }
    return value.trim();
  });
}
