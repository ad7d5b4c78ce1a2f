/**
 * Credentials-file content → credentials, or the problem with it. Pure: no I/O, the clock is passed in.
 * The format is recognised by content (JSON starts with `{`; anything else is env lines), so the person
 * can paste whatever their tool printed. Messages name lines and fields, never values.
 */
import { CredentialProblem } from './errors.js';
import { credentialsFromEnvAssignments } from './parse-env-credentials.js';
import { parseEnvLines } from './parse-env-lines.js';
import { parseJsonCredentials } from './parse-json-credentials.js';
import type { ParsedCredentialsFile } from './parsed-credentials.js';

export type { CredentialsFileFormat, ParsedCredentialsFile } from './parsed-credentials.js';

export interface ParseOptions {
  /** Expirations at or before this instant are EXPIRED. */
  now: Date;
}

export function parseCredentialsFile(
  text: string,
  { now }: ParseOptions,
): ParsedCredentialsFile | CredentialProblem {
  const content = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (content.trim() === '') {
    return new CredentialProblem(
      'NOT_READY',
      'The file is empty; waiting for credentials to be written to it.',
    );
  }
  if (content.includes('\0')) {
    return new CredentialProblem('MALFORMED', 'The file holds binary data, not credentials text.');
  }
  const first = content.trimStart()[0];
  if (first === '{' || first === '[') return parseJsonCredentials(content, now);
  const assignments = parseEnvLines(content);
  if (assignments instanceof CredentialProblem) return assignments;
  return credentialsFromEnvAssignments(assignments, now);
}
