import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import type { LoginFlags } from './run-login.js';

const EXAMPLES = `
Logs in once for every process that shares the SSO session: when another cred-supervisor (or another
\`cred-supervisor login\`) is already logging in, this one waits for that login and uses its token.
Uses \`aws sso login\` when the AWS CLI v2 is installed, else runs the same device login itself.
Exit codes: 0 logged in, 1 error (network included), 2 usage, 3 login failed, cancelled or timed out.

Examples:
  $ cred-supervisor login --profile dev           # before a long deploy: reset the SSO session clock
  $ AWS_PROFILE=dev cred-supervisor login`;

function nonEmptyProfile(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('Expected `--profile` to be non-empty.');
  return value;
}

export function loginCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('login')
    .description('SSO login now, once for every supervisor sharing the session')
    .addOption(
      new Option(
        '--profile <name>',
        'the SSO profile (default: the config file, then AWS_PROFILE)',
      ).argParser(nonEmptyProfile),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (flags: LoginFlags) => {
      const { runLogin } = await import('./run-login.js');
      finish(await runLogin(flags, io));
    });
}
