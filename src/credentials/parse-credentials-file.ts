/**
 * Credentials-file content → credentials, or the problem with it. Pure: no I/O, the clock is passed in.
 * The format is recognised by content (JSON starts with `{`; anything else is env lines), so the person
 * can paste whatever their tool printed. Messages name lines and fields, never values.
 */
import { CredentialProblem } from './errors.js';
import { exportCredentialsCommand, shellQuote } from './fix-commands.js';
import { credentialsFromEnvAssignments } from './parse-env-credentials.js';
import { parseEnvLines } from './parse-env-lines.js';
import { parseJsonCredentials } from './parse-json-credentials.js';
import type { ParsedCredentialsFile } from './parsed-credentials.js';

export type { CredentialsFileFormat, ParsedCredentialsFile } from './parsed-credentials.js';

export interface ParseOptions {
  /** Expirations at or before this instant are EXPIRED. */
  now: Date;
  /** The file's path, for the commands in fixes; `PATH` when not given. */
  filePath?: string;
}

// `[default]`, `[profile dev]`, `[sso-session corp]`: the first line that is not blank or a comment.
const INI_SECTION = /^\s*\[\s*([A-Za-z0-9_.@+=,:/-]+(?:\s+[A-Za-z0-9_.@+=,:/-]+)?)\s*\]\s*$/;

/** The section name when the file is shaped like ~/.aws/credentials or ~/.aws/config. */
function iniSection(content: string): string | undefined {
  for (const line of content.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    return INI_SECTION.exec(trimmed)?.[1];
  }
  return undefined;
}

function iniProblem(section: string, filePath: string): CredentialProblem {
  const profile = section.replace(/^profile\s+/, '');
  return new CredentialProblem(
    'MALFORMED',
    `The file is in the INI format of ~/.aws/credentials (it starts with a [${section}] section); this file takes env lines or JSON.`,
    `Use the profile instead (--profile ${shellQuote(profile)}, with the section in ~/.aws/credentials), or write env lines here: ${exportCredentialsCommand(filePath, profile)}.`,
  );
}

export function parseCredentialsFile(
  text: string,
  { now, filePath = 'PATH' }: ParseOptions,
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
  const ini = iniSection(content);
  if (ini !== undefined) return iniProblem(ini, filePath);
  const first = content.trimStart()[0];
  if (first === '{' || first === '[') return parseJsonCredentials(content, now);
  const assignments = parseEnvLines(content);
  if (assignments instanceof CredentialProblem) return assignments;
  return credentialsFromEnvAssignments(assignments, now);
}
