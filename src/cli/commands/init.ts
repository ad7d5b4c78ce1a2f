import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';

const EXAMPLES = `
Creates cred-supervisor.config.json (every option commented out, with its default) unless the project
has a config already, the state directory .cred-supervisor/ (mode 700), and adds it to .gitignore.
Running it again changes nothing.

Examples:
  $ cred-supervisor init
  $ cred-supervisor init && git add cred-supervisor.config.json .gitignore
  $ cred-supervisor init --procfile   # also a Procfile.dev for cdk watch beside other commands`;

export function initCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('init')
    .description('create the config file and .cred-supervisor/, and gitignore it')
    .option('--procfile [file]', 'also write a Procfile for `watch --procfile` (default Procfile.dev)')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: { procfile?: string | true }) => {
      const { runInit } = await import('./run-init.js');
      finish(await runInit(io, flags));
    });
}
