import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { NotImplementedError } from '../errors.js';
import { stateDirOption } from '../shared-options.js';

export interface ReloadFlags {
  stateDir?: string;
}

const EXAMPLES = `
Same as pressing r in the supervisor's terminal, or sending it SIGUSR1.

Examples:
  $ aws sso login --profile dev && cred-supervisor reload
  $ cred-supervisor reload --state-dir ../api/.cred-supervisor`;

export function reloadCommand(_io: CliIo, _finish: (code: number) => void): Command {
  return new Command('reload')
    .description('ask the running supervisor to re-read and verify credentials now')
    .addOption(stateDirOption())
    .addHelpText('after', EXAMPLES)
    .action((_flags: ReloadFlags) => {
      throw new NotImplementedError('reload');
    });
}
