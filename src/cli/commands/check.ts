import { Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { addSharedOptions } from '../shared-options.js';
import type { CheckFlags } from './run-check.js';

const EXAMPLES = `
Exit codes: 0 ok, 1 error (STS unreachable included), 2 usage, 3 credentials missing/invalid/expired,
            4 refused (root credentials, another account than --expect-account).

Examples:
  $ cred-supervisor check                                   # .cred-supervisor/credentials, else the environment
  $ cred-supervisor check --profile dev --expect-account 123456789012
  $ cred-supervisor check --json | jq -r .timeLeftMs
  $ cred-supervisor check --credentials-file ~/dev-creds.env --region eu-west-1`;

export function checkCommand(io: CliIo, finish: (code: number) => void): Command {
  return addSharedOptions(new Command('check'))
    .description(
      'verify credentials with STS and print the checklist (account, ARN, region, type, time left)',
    )
    .addOption(new Option('--json', 'print one JSON object instead of the checklist'))
    .addHelpText('after', EXAMPLES)
    .action(async (flags: CheckFlags) => {
      // Loaded only when `check` runs, so `--version` and other commands do not pay for it.
      const { runCheck } = await import('./run-check.js');
      finish(await runCheck(flags, io));
    });
}
