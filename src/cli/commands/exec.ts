import { Command } from 'commander';
import type { ExecFlags } from '../../exec/run-exec.js';
import type { CliIo } from '../cli-io.js';
import { addSharedOptions } from '../shared-options.js';

const EXAMPLES = `
The command runs in the foreground with the terminal (prompts and Ctrl+C work as without
cred-supervisor). With --delivery endpoint (the default) it gets credentials from a local endpoint
that serves fresher ones when the credentials file is rewritten or the profile refreshes, so a long
deploy survives a rotation. SIGTERM and SIGHUP are passed on (SIGKILL after --stop-grace).

Exit codes: the command's own (128+N when signal N ended it; 127 command not found);
            before it runs: 1 error (STS unreachable included), 2 usage, 3 credentials
            missing/invalid/expired, 4 refused (root credentials, another account).

Examples:
  $ cred-supervisor exec -- cdk deploy --all
  $ cred-supervisor exec --profile dev --expect-account 123456789012 -- aws s3 ls
  $ cred-supervisor exec --delivery env -- ./scripts/seed-database.sh`;

export function execCommand(io: CliIo, finish: (code: number) => void): Command {
  return addSharedOptions(new Command('exec'))
    .description('run one command with verified credentials')
    .usage('[options] -- command [args...]')
    .argument('<command...>', 'the command to run and its arguments (after --)')
    .passThroughOptions()
    .addHelpText('after', EXAMPLES)
    .action(async (command: string[], flags: ExecFlags) => {
      // Loaded only when `exec` runs, so `--version` and other commands do not pay for it.
      const { runExec } = await import('../../exec/run-exec.js');
      finish(await runExec(command, flags, io));
    });
}
