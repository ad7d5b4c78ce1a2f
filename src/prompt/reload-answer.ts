/**
 * What `r` and `cred-supervisor reload` answer once the credentials have been re-read and verified:
 * unchanged, fresh, or rejected and why. Said every time, so a reload is never met with silence.
 */
import type { SupervisorEvent, VerifiedCredentialFacts } from '../supervisor/types.js';
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

/**
 * Manual reloads waiting for the next verdict. The orchestrator shows it every event; the first
 * verification answer after a reload is said once and resolves every waiter.
 */
export class ReloadAnswers {
  private readonly waiters = new Set<(answer: string) => void>();

  wait(waitMs: number): Promise<string> {
    return new Promise((resolve) => {
      const answer = (text: string) => {
        clearTimeout(timer);
        resolve(text);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(answer);
        resolve("Re-reading credentials; the outcome will show in the supervisor's output.");
      }, waitMs);
      timer.unref?.();
      this.waiters.add(answer);
    });
  }

  /** The answer to say, when `event` is the verdict a reload waits for; undefined otherwise. */
  verdict(
    event: SupervisorEvent,
    inUse: Pick<VerifiedCredentialFacts, 'fingerprint'> | null,
    now: number,
  ): { text: string; rejected: boolean } | undefined {
    if (this.waiters.size === 0) return undefined;
    if (event.type !== 'credentials-verified' && event.type !== 'credentials-rejected') return undefined;
    const text = formatReloadAnswer(event, inUse, now);
    for (const waiter of this.waiters) waiter(text);
    this.waiters.clear();
    return { text, rejected: event.type === 'credentials-rejected' };
  }
}
