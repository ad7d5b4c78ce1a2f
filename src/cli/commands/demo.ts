import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { NotImplementedError } from '../errors.js';

const EXAMPLES = `
Runs a local STS and a fake child on 127.0.0.1 and walks through expiry, the prompt and the restart.
No AWS account or network access is needed.

Examples:
  $ cred-supervisor demo`;

export function demoCommand(_io: CliIo, _finish: (code: number) => void): Command {
  return new Command('demo')
    .description('the whole loop on this machine, no AWS account needed')
    .addHelpText('after', EXAMPLES)
    .action(() => {
      throw new NotImplementedError('demo');
    });
}
