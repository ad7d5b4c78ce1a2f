import { Command } from 'commander';
import type { WatchFlags } from '../../watch/run-watch.js';
import type { CliIo } from '../cli-io.js';
import { addSharedOptions } from '../shared-options.js';

const EXAMPLES = `
Without a command, runs \`cdk watch --hotswap-fallback\` (node_modules/.bin/cdk, else PATH).
Keys on a terminal: r reload credentials, s status, q quit. Ctrl+C stops; twice forces.

Examples:
  $ cred-supervisor watch
  $ cred-supervisor watch --profile dev --expect-account 123456789012
  $ cred-supervisor watch --refresh-before 15m -- cdk watch --hotswap-fallback MyStack
  $ cred-supervisor watch --delivery env -- node scripts/dev-server.mjs
  $ cred-supervisor watch --procfile Procfile.dev   # several commands, one credential session`;

export function watchCommand(io: CliIo, finish: (code: number) => void): Command {
  return addSharedOptions(new Command('watch'))
    .description('supervise a long-running command across credential expiry (default: cdk watch)')
    .usage('[options] [-- command [args...]]')
    .argument('[command...]', 'the command to supervise and its arguments (after --)')
    .option(
      '--procfile <file>',
      'run every `name: command` line of this Procfile under one credential session',
    )
    .passThroughOptions()
    .addHelpText('after', EXAMPLES)
    .action(async (command: string[], flags: WatchFlags) => {
      const { runWatch } = await import('../../watch/run-watch.js');
      finish(await runWatch(command, flags, io));
    });
}
