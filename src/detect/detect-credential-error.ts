import type { CredentialErrorKind } from './credential-error-kind.js';
import {
  CREDENTIAL_ERROR_KEYWORDS,
  CREDENTIAL_ERROR_RULES,
  type CredentialErrorRule,
} from './credential-error-rules.js';
import { getExaminedText } from './examined-text.js';
import { isForeignOutput } from './foreign-output.js';

/**
 * Reads one line of the child's output (stdout or stderr of `cdk watch`, `aws logs tail`, `sam sync`,
 * an SDK app) and says whether it reports that the credentials the child uses are expired, invalid,
 * missing, or that the SSO session behind them ended. `null` for everything else, including access
 * denied, wrong-account messages, and credential errors quoted from Lambda logs or stack events (those
 * are other principals' credentials).
 *
 * ANSI escapes and CR/CRLF endings are tolerated. Never throws; cheap for the common line (one keyword
 * test), and bounded on huge ones (only both ends of a very long line are examined).
 *
 * A match is a reason to check the credentials (an STS probe), not proof on its own: some codes, like
 * `RequestExpired`, have a second meaning.
 */
export function detectCredentialError(line: string): CredentialErrorKind | null {
  return findCredentialErrorRule(line)?.kind ?? null;
}

/**
 * The rule that recognised `line` as a credential error, or `null`: the same decision as
 * `detectCredentialError`, with the rule's `source` for a debug log that says why.
 */
export function findCredentialErrorRule(line: string): CredentialErrorRule | null {
  // Called with whatever a stream produced, also from JavaScript: anything but a string is no error line.
  if (typeof line !== 'string') return null;
  const text = getExaminedText(line);
  if (!CREDENTIAL_ERROR_KEYWORDS.test(text)) return null;
  if (isForeignOutput(text)) return null;
  return CREDENTIAL_ERROR_RULES.find((rule) => rule.pattern.test(text)) ?? null;
}
