import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { NotImplementedError } from '../errors.js';
import { stateDirOption } from '../shared-options.js';

export interface InitFlags {
  stateDir?: string;
}

const EXAMPLES = `
Creates the config file and the state directory, and adds the state directory to .gitignore.

Examples:
  $ cred-supervisor init
  $ cred-supervisor init --state-dir .creds`;

export function initCommand(_io: CliIo, _finish: (code: number) => void): Command {
  return new Command('init')
    .description('create the config file and .cred-supervisor/, and gitignore it')
    .addOption(stateDirOption())
    .addHelpText('after', EXAMPLES)
    .action((_flags: InitFlags) => {
      throw new NotImplementedError('init');
    });
}
