import { Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { NotImplementedError } from '../errors.js';
import { stateDirOption } from '../shared-options.js';

export interface StatusFlags {
  json?: boolean;
  format?: 'text' | 'tmux';
  stateDir?: string;
}

const EXAMPLES = `
Exits 3 when no supervisor is running in this directory.

Examples:
  $ cred-supervisor status
  $ cred-supervisor status --json | jq -r .state
  $ tmux set -g status-right '#(cred-supervisor status --format tmux)'`;

export function statusCommand(_io: CliIo, _finish: (code: number) => void): Command {
  return new Command('status')
    .description('show the state of the supervisor running in this directory')
    .addOption(new Option('--json', 'print one JSON object').conflicts('format'))
    .addOption(
      new Option('--format <format>', 'text (default) or tmux, a short status-right segment').choices([
        'text',
        'tmux',
      ]),
    )
    .addOption(stateDirOption())
    .addHelpText('after', EXAMPLES)
    .action((_flags: StatusFlags) => {
      throw new NotImplementedError('status');
    });
}
