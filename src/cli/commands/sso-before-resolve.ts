/**
 * `check` and `exec` look at the SSO session first (`--sso-login`, config `ssoLogin`): the login
 * talks on stderr, a yes/no is asked only on a terminal.
 */
import type { SupervisorOptions } from '../../config/options.js';
import { askOnTerminal } from '../../prompt/terminal-question.js';
import type { EnsureSsoOutcome } from '../../sso/ensure-sso-session.js';
import { asWritable, type CliIo } from '../cli-io.js';

export async function ssoBeforeResolve(options: SupervisorOptions, io: CliIo): Promise<EnsureSsoOutcome> {
  const profile = options.profile ?? io.env.AWS_PROFILE;
  // No profile, no SSO: the SSO modules are not even loaded (start-up time of `check`).
  if (!profile) return 'not-sso';
  const { ensureSsoSession } = await import('../../sso/ensure-sso-session.js');
  const stdin = io.stdin;
  const canAsk = stdin?.isTTY === true;
  return ensureSsoSession({
    profile,
    mode: options.ssoLogin ?? 'auto',
    env: io.env,
    output: io.stderr,
    ...(canAsk && stdin
      ? {
          ask: async (question: string) =>
            !/^n/i.test(await askOnTerminal(question, { input: stdin, output: asWritable(io.stderr) })),
        }
      : {}),
  });
}
