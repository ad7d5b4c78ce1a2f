/**
 * Defence in depth for text we did not write (SDK and tool error messages): access key ids are masked
 * and long base64-like runs with the mix of upper case, lower case and digits that secrets and session
 * tokens have are removed. Paths and words, which lack that mix, stay readable. Our own messages never
 * hold secrets in the first place.
 */
import { maskAccessKeyId } from './access-key-id.js';

function looksRandom(run: string): boolean {
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run);
}

export function redactSecrets(text: string): string {
  return text
    .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, (id) => maskAccessKeyId(id))
    .replace(/[A-Za-z0-9/+=_-]{32,}/g, (run) => (looksRandom(run) ? '[redacted]' : run));
}
