/** Commands shown in fixes, quoted so they can be pasted into a POSIX shell as they are. */

import { shellQuote } from '../prompt/shell-quote.js';

export { shellQuote };

/**
 * The one-liner that writes the credentials file. `umask 077` because a file created by `>` is
 * otherwise group/world-readable (mode 644 under the usual umask), which the file source refuses.
 */
export function exportCredentialsCommand(filePath: string, profile?: string): string {
  const profileFlag = profile ? ` --profile ${shellQuote(profile)}` : '';
  return `(umask 077; aws configure export-credentials${profileFlag} --format env > ${shellQuote(filePath)})`;
}

/**
 * The SSO login to suggest: `cred-supervisor login` runs `aws sso login` where the AWS CLI v2 is
 * installed and the same device login itself where it is not (the AWS CLI v1 has no `sso login`, a
 * CDK project may have no AWS CLI at all), through the one-login-per-session lock. So it is right on
 * every machine, and it is the one command every fix names.
 */
export function ssoLoginFixCommand(profile: string): string {
  return `npx cred-supervisor login --profile ${shellQuote(profile)}`;
}
