/**
 * The credentials file as a source: the safety checks, then the parser, with the path and a fix added
 * to whatever is wrong. A missing file is NOT_FOUND, which the resolution order treats as "not this
 * source", not as an error.
 */
import { CredentialProblem } from './errors.js';
import { type FileSafetyDeps, readCredentialsFileSafely } from './file-safety.js';
import { exportCredentialsCommand } from './fix-commands.js';
import { parseCredentialsFile } from './parse-credentials-file.js';
import { FORMAT_NAMES } from './parsed-credentials.js';
import type { ResolvedCredentials } from './types.js';

export interface ReadCredentialsFileOptions extends FileSafetyDeps {
  /** The clock; expirations at or before it are EXPIRED. */
  now?: () => Date;
}

function fixFor(code: CredentialProblem['code'], filePath: string): string | undefined {
  const rewrite = exportCredentialsCommand(filePath);
  switch (code) {
    case 'MALFORMED':
    case 'MISSING_FIELD':
      return `Write it again, e.g. ${rewrite}, or save the JSON that \`aws sts assume-role\` / \`get-session-token\` prints.`;
    case 'EXPIRED':
      return `Write fresh credentials to it, e.g. ${rewrite}`;
    default:
      return undefined;
  }
}

/** Throws CredentialProblem; `NOT_FOUND` when the file does not exist. */
export async function readCredentialsFile(
  filePath: string,
  options: ReadCredentialsFileOptions = {},
): Promise<ResolvedCredentials> {
  const file = await readCredentialsFileSafely(filePath, options);
  const parsed = parseCredentialsFile(file.text, {
    now: (options.now ?? (() => new Date()))(),
    filePath,
  });
  const where = file.viaSymlink ? `${filePath} (symlink to ${file.realPath})` : filePath;
  if (parsed instanceof CredentialProblem) throw parsed.about(where, fixFor(parsed.code, filePath));
  const notes = parsed.notes.map((note) => `${where}: ${note}`);
  if (file.viaSymlink)
    notes.unshift(`${filePath} is a symlink; read and checked its target ${file.realPath}.`);
  return {
    credentials: parsed.credentials,
    source: { kind: 'file', description: `file ${where} (${FORMAT_NAMES[parsed.format]})`, path: file.path },
    ...(parsed.region && { region: parsed.region }),
    ...(notes.length > 0 && { notes }),
  };
}
