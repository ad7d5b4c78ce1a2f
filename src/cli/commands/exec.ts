import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { NotImplementedError } from '../errors.js';
import { addSharedOptions, type SharedFlags } from '../shared-options.js';

export type ExecFlags = SharedFlags;

const EXAMPLES = `
The command's exit code is passed through.

Examples:
  $ cred-supervisor exec -- cdk deploy --all
  $ cred-supervisor exec --profile dev --expect-account 123456789012 -- aws s3 ls
  $ cred-supervisor exec --delivery env -- ./scripts/seed-database.sh`;

export function execCommand(_io: CliIo, _finish: (code: number) => void): Command {
  return addSharedOptions(new Command('exec'))
    .description('run one command with verified credentials')
    .usage('[options] -- command [args...]')
    .argument('<command...>', 'the command to run and its arguments (after --)')
    .passThroughOptions()
    .addHelpText('after', EXAMPLES)
    .action((_command: string[], _flags: ExecFlags) => {
      throw new NotImplementedError('exec');
    });
}
