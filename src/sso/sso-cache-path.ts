/**
 * Where the SSO token of a session lives: `~/.aws/sso/cache/<sha1>.json`, the SHA-1 of the
 * `sso_session` name, or of the start URL for a legacy profile (no sso_session). The AWS CLI, botocore
 * and the JS SDK all compute it this way, which is what lets one login serve every tool on the machine.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { profileFilePaths } from '../credentials/profile-files.js';

/** What names an SSO login: a session (`[sso-session corp]`) or, for a legacy profile, its start URL. */
export type SsoCacheIdentity =
  | { kind: 'session'; sessionName: string }
  | { kind: 'legacy'; startUrl: string };

export function ssoCacheKey(identity: SsoCacheIdentity): string {
  switch (identity.kind) {
    case 'session':
      return createHash('sha1').update(identity.sessionName, 'utf8').digest('hex');
    case 'legacy':
      return createHash('sha1').update(identity.startUrl, 'utf8').digest('hex');
    default: {
      const unreachable: never = identity;
      throw new Error(`unknown SSO identity ${JSON.stringify(unreachable)}`);
    }
  }
}

export function ssoCacheFile(identity: SsoCacheIdentity, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(profileFilePaths(env).ssoCacheDir, `${ssoCacheKey(identity)}.json`);
}
