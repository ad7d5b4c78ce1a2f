import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { stateDirOption } from '../control-options.js';
import type { RestartFlags } from './run-restart.js';

const EXAMPLES = `
For a supervisor started with --procfile (or config \`processes\`): restarts that process alone, with
the credentials in use; the others keep running. \`cred-supervisor status\` lists the names.

Examples:
  $ cred-supervisor restart api
  $ cred-supervisor restart cdk --state-dir ../infra/.cred-supervisor`;

export function restartCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('restart')
    .description('restart one process of a --procfile supervisor')
    .argument('<name>', 'the process name (its Procfile line)')
    .addOption(stateDirOption())
    .addHelpText('after', EXAMPLES)
    .action(async (name: string, flags: RestartFlags) => {
      const { runRestart } = await import('./run-restart.js');
      finish(await runRestart(name, flags, io));
    });
}
