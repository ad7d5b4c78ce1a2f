/**
 * What `r` and `cred-supervisor reload` answer once the credentials have been re-read and verified:
 * unchanged, fresh, or rejected and why. Said every time, so a reload is never met with silence.
 */
import type { VerifiedCredentialFacts } from '../supervisor/types.js';
import { describeExpiry } from './status-line.js';

export type ReloadVerdict =
  | { type: 'credentials-verified'; credentials: VerifiedCredentialFacts }
  | { type: 'credentials-rejected'; message: string };

function lifetime(credentials: VerifiedCredentialFacts, now: number): string {
  if (credentials.expiresAt !== null) return `they ${describeExpiry(credentials.expiresAt, now)}`;
  return credentials.temporary ? 'expiry unknown' : 'no expiry (long-term keys)';
}

export function formatReloadAnswer(
  verdict: ReloadVerdict,
  inUse: Pick<VerifiedCredentialFacts, 'fingerprint'> | null,
  now: number,
): string {
  switch (verdict.type) {
    case 'credentials-verified': {
      const c = verdict.credentials;
      const same = inUse?.fingerprint === c.fingerprint;
      return same
        ? `Reload: unchanged; ${c.source} still gives the credentials in use, verified for account ${c.account}; ${lifetime(c, now)}.`
        : `Reload: fresh credentials verified for account ${c.account} from ${c.source}; ${lifetime(c, now)}.`;
    }
    case 'credentials-rejected':
      return `Reload: rejected: ${verdict.message}`;
    default: {
      const never: never = verdict;
      throw new Error(`unknown verdict ${String(never)}`);
    }
  }
}
