/**
 * Reading and writing one SSO token file of `~/.aws/sso/cache`, in the AWS CLI v2's format: the fields
 * `startUrl, region, accessToken, expiresAt, clientId, clientSecret, registrationExpiresAt,
 * refreshToken`, times as `%Y-%m-%dT%H:%M:%SZ`, Python's JSON layout, mode 600, replaced atomically.
 *
 * A file another user owns, or one others may write, is refused: whoever controls it decides which
 * identity every AWS tool of this user runs as. A corrupt file is refused with the fix (log in again).
 * Errors name the file, never a token.
 */
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import { CredentialProblem } from '../credentials/errors.js';
import { ensurePrivateDir, writePrivateFileAtomically } from '../delivery/private-file.js';
import { cliTimestamp, pythonJsonDumps } from './python-json.js';

const timestamp = z.string().check(z.refine((text) => !Number.isNaN(Date.parse(text)), 'not a date'));

const cachedTokenSchema = z.object({
  startUrl: z.optional(z.string()),
  region: z.optional(z.string()),
  accessToken: z.string().check(z.minLength(1)),
  expiresAt: timestamp,
  clientId: z.optional(z.string()),
  clientSecret: z.optional(z.string()),
  registrationExpiresAt: z.optional(timestamp),
  refreshToken: z.optional(z.string()),
});

export type SsoCachedToken = z.infer<typeof cachedTokenSchema>;

export interface SsoCacheEntry {
  token: SsoCachedToken;
  expiresAt: Date;
  /** When the file was last written: by a login or by a refresh. */
  writtenAt: Date;
}

export interface SsoCacheReadOptions {
  /** What to run to replace the file, for the fix (`aws sso login --sso-session corp`). */
  loginCommand: string;
  /** The reader's uid; `process.getuid()` where there is one. */
  uid?: number;
}

const MAX_CACHE_BYTES = 64 * 1024;

function problemAbout(
  file: string,
  loginCommand: string,
  what: string,
  code: 'MALFORMED' | 'UNSAFE_PERMISSIONS',
) {
  return new CredentialProblem(
    code,
    `SSO cache file ${file} ${what}.`,
    `Remove it (rm ${file}) and log in again: ${loginCommand}`,
  );
}

/** The cached token, undefined when there is none (never logged in, or logged out). */
export async function readSsoCache(
  file: string,
  options: SsoCacheReadOptions,
): Promise<SsoCacheEntry | undefined> {
  const { loginCommand } = options;
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw problemAbout(
      file,
      loginCommand,
      `cannot be read (${(error as NodeJS.ErrnoException).code})`,
      'MALFORMED',
    );
  }
  if (!stats.isFile()) throw problemAbout(file, loginCommand, 'is not a regular file', 'UNSAFE_PERMISSIONS');
  const uid = options.uid ?? process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw problemAbout(
      file,
      loginCommand,
      `belongs to another user (uid ${stats.uid}, you are ${uid})`,
      'UNSAFE_PERMISSIONS',
    );
  }
  if (process.platform !== 'win32' && (stats.mode & 0o022) !== 0) {
    throw problemAbout(
      file,
      loginCommand,
      `can be written by other users (mode ${(stats.mode & 0o777).toString(8)})`,
      'UNSAFE_PERMISSIONS',
    );
  }
  if (stats.size > MAX_CACHE_BYTES)
    throw problemAbout(file, loginCommand, 'is too large to be a token', 'MALFORMED');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw problemAbout(file, loginCommand, 'is not valid JSON (corrupt or half-written)', 'MALFORMED');
  }
  const result = cachedTokenSchema.safeParse(parsed);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || 'the file'))];
    throw problemAbout(file, loginCommand, `has no usable ${fields.join(', ')}`, 'MALFORMED');
  }
  return { token: result.data, expiresAt: new Date(result.data.expiresAt), writtenAt: stats.mtime };
}

/** What a login (or a refresh) received, before it is laid out as the CLI lays it out. */
export interface SsoTokenToCache {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAt: Date;
  clientId: string;
  clientSecret: string;
  registrationExpiresAt: Date;
  refreshToken?: string;
}

/** The file's text exactly as `aws sso login` (AWS CLI v2) would write it. */
export function ssoCacheText(token: SsoTokenToCache): string {
  return pythonJsonDumps({
    startUrl: token.startUrl,
    region: token.region,
    accessToken: token.accessToken,
    expiresAt: cliTimestamp(token.expiresAt),
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    registrationExpiresAt: cliTimestamp(token.registrationExpiresAt),
    refreshToken: token.refreshToken,
  });
}

export async function writeSsoCache(file: string, token: SsoTokenToCache): Promise<void> {
  await ensurePrivateDir(path.dirname(file));
  await writePrivateFileAtomically(file, ssoCacheText(token));
}
