/**
 * Defence in depth for text we did not write (SDK and tool error messages): access key ids are masked
 * and long base64-like runs, the look of secrets and session tokens, are removed. Our own messages
 * never hold secrets in the first place.
 */
import { maskAccessKeyId } from './access-key-id.js';

export function redactSecrets(text: string): string {
  return text
    .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, (id) => maskAccessKeyId(id))
    .replace(/[A-Za-z0-9/+=_-]{32,}/g, '[redacted]');
}
