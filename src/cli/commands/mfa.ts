import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { stateDirOption } from '../shared-options.js';
import type { MfaFlags } from './run-mfa.js';

const EXAMPLES = `
Answers the MFA question of the supervisor running in this directory, from any terminal: the one it
runs in may be a detached tmux pane. Without CODE, the code is read from stdin (so it stays out of the
process list).
Exit codes: 0 accepted, 1 not waiting for a code or refused, 3 no supervisor running in this directory.

Examples:
  $ cred-supervisor mfa 123456
  $ cred-supervisor mfa < /dev/tty`;

export function mfaCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('mfa')
    .description("answer the running supervisor's MFA question")
    .argument('[code]', 'the 6-digit code from the MFA device (default: read from stdin)')
    .addOption(stateDirOption())
    .addHelpText('after', EXAMPLES)
    .action(async (code: string | undefined, flags: MfaFlags) => {
      const { runMfa } = await import('./run-mfa.js');
      finish(await runMfa(code, flags, io));
    });
}
