/** `cred-supervisor login`: one SSO login through the machine-wide single flight, said plainly. */
import { formatDuration } from '../../config/duration.js';
import { isCredentialProblem } from '../../credentials/errors.js';
import { loginOnce } from '../../sso/single-flight-login.js';
import { readSsoProfile } from '../../sso/sso-profile.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { buildOptions } from '../shared-options.js';

/** The flags `login` declares (cli/commands/login.ts). */
export interface LoginFlags {
  profile?: string;
}

export async function runLogin(flags: LoginFlags, io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`cred-supervisor: ${text}\n`);
  try {
    const options = await buildOptions(flags.profile === undefined ? {} : { profile: flags.profile }, io.cwd);
    const name = options.profile ?? io.env.AWS_PROFILE;
    if (!name) {
      say('which SSO profile? Give --profile NAME, set "profile" in the config file, or set AWS_PROFILE.');
      return ExitCode.usage;
    }
    const profile = await readSsoProfile(name, io.env);
    if (!profile) {
      say(
        `profile ${name} is not an SSO profile (no sso_session or sso_start_url); there is nothing to log in to.`,
      );
      return ExitCode.usage;
    }
    const outcome = await loginOnce(profile, { env: io.env, output: io.stderr });
    const left = formatDuration(outcome.expiresAt.getTime() - Date.now());
    switch (outcome.kind) {
      case 'logged-in':
        say(`logged in (profile ${name}); the SSO token is valid for ${left}.`);
        break;
      case 'joined':
        say(
          `logged in by another process${outcome.byPid ? ` (pid ${outcome.byPid})` : ''}; the SSO token is valid for ${left}.`,
        );
        break;
      default: {
        const unreachable: never = outcome;
        throw new Error(`unknown login outcome ${JSON.stringify(unreachable)}`);
      }
    }
    return ExitCode.ok;
  } catch (error) {
    if (!isCredentialProblem(error)) throw error;
    say(error.message);
    return error.code === 'NETWORK' ? ExitCode.error : ExitCode.credentials;
  }
}
