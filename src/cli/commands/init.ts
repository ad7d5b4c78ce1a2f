import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';

const EXAMPLES = `
Creates cred-supervisor.config.json (every option commented out, with its default) unless the project
has a config already, the state directory .cred-supervisor/ (mode 700), and adds it to .gitignore.
Running it again changes nothing.

Examples:
  $ cred-supervisor init
  $ cred-supervisor init && git add cred-supervisor.config.json .gitignore`;

export function initCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('init')
    .description('create the config file and .cred-supervisor/, and gitignore it')
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      const { runInit } = await import('./run-init.js');
      finish(await runInit(io));
    });
}
