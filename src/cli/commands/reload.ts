import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { acceptAccountOption, stateDirOption } from '../control-options.js';
import type { ReloadFlags } from './run-reload.js';

const EXAMPLES = `
Same as pressing r in the supervisor's terminal, or sending it SIGUSR1. Prints the supervisor's answer.
Exit codes: 0 answered, 1 no answer or an error, 3 no supervisor running in this directory.

Examples:
  $ npx cred-supervisor login --profile dev   # an SSO profile: picked up by itself
  $ cred-supervisor reload --state-dir ../api/.cred-supervisor
  $ cred-supervisor reload --accept-account 123456789012`;

export function reloadCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('reload')
    .description('ask the running supervisor to re-read and verify credentials now')
    .addOption(stateDirOption())
    .addOption(acceptAccountOption())
    .addHelpText('after', EXAMPLES)
    .action(async (flags: ReloadFlags) => {
      const { runReload } = await import('./run-reload.js');
      finish(await runReload(flags, io));
    });
}
