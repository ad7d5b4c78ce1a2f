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
