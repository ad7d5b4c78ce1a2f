import type { AwsCredentials } from '../credentials/types.js';

/**
 * Defence in depth: SDK and network error messages should never contain the secret key or session
 * token, but a message we did not write is scrubbed before it is shown or logged.
 */
export function redactSecrets(text: string, credentials: AwsCredentials): string {
  let out = text;
  for (const secret of [credentials.secretAccessKey, credentials.sessionToken]) {
    if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out;
}
