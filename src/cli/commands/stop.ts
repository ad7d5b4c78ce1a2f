import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { NotImplementedError } from '../errors.js';
import { stateDirOption } from '../shared-options.js';

export interface StopFlags {
  stateDir?: string;
}

const EXAMPLES = `
The child's whole process group is stopped (SIGINT, then SIGTERM, then SIGKILL after --stop-grace).

Examples:
  $ cred-supervisor stop
  $ cred-supervisor stop --state-dir ../api/.cred-supervisor`;

export function stopCommand(_io: CliIo, _finish: (code: number) => void): Command {
  return new Command('stop')
    .description('stop the running supervisor and its child')
    .addOption(stateDirOption())
    .addHelpText('after', EXAMPLES)
    .action((_flags: StopFlags) => {
      throw new NotImplementedError('stop');
    });
}
