import { Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { stateDirOption } from '../control-options.js';
import type { StatusFlags } from './run-status.js';

const EXAMPLES = `
Exits 3 when no supervisor is running in this directory (--format tmux then prints nothing).
The state directory comes from --state-dir, else the config file's stateDir, else .cred-supervisor.

Examples:
  $ cred-supervisor status
  $ cred-supervisor status --json | jq -r .state
  $ tmux set -g status-right '#(cred-supervisor status --format tmux)'
  $ tmux set -g status-right "#(cat $(cred-supervisor status --segment-file))"   # the cheapest`;

export function statusCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('status')
    .description('show the state of the supervisor running in this directory')
    .addOption(new Option('--json', 'print one JSON object').conflicts('format'))
    .addOption(
      new Option(
        '--format <format>',
        'text (default); tmux, a short status-right segment; tmux-ascii, the same without symbols',
      ).choices(['text', 'tmux', 'tmux-ascii']),
    )
    .addOption(
      new Option(
        '--segment-file',
        'print the path of the tmux segment the supervisor keeps up to date, for `cat` (with --format)',
      ).conflicts('json'),
    )
    .addOption(stateDirOption())
    .addHelpText('after', EXAMPLES)
    .action(async (flags: StatusFlags) => {
      // Loaded only when `status` runs: tmux calls it every few seconds, so it stays lean.
      const { runStatus } = await import('./run-status.js');
      finish(await runStatus(flags, io));
    });
}
