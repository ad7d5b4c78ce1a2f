// The refresh-ahead sequence on a fake clock: the sources and STS are stand-ins whose answers the
// test changes, as a person rewriting the file would.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialProblem } from '../../src/credentials/errors.js';
import type { AwsCredentials, ResolvedCredentials } from '../../src/credentials/types.js';
import { type RefreshEvent, startCredentialRefresher } from '../../src/exec/credential-refresher.js';
import type { VerificationResult } from '../../src/verify/verification-result.js';
import { sampleKeys } from '../credentials/support/sample-credentials.js';

const MINUTE = 60_000;
const ACCOUNT = '123456789012';
const FILE = '/project/.cred-supervisor/credentials';
const RETRY_MS = 3_000;

function fromFile(expiresInMs: number | undefined): ResolvedCredentials {
  const expiration = expiresInMs === undefined ? undefined : new Date(Date.now() + expiresInMs);
  return {
    credentials: sampleKeys(expiration ? { expiration } : { prefix: 'AKIA' }) as AwsCredentials,
    source: { kind: 'file', description: `file ${FILE} (env lines)`, path: FILE },
  };
}

function ok(account = ACCOUNT): VerificationResult {
  return {
    ok: true,
    account,
    arn: `arn:aws:sts::${account}:assumed-role/dev/me`,
    userId: 'AROA:me',
    region: 'us-east-1',
    temporary: true,
    root: false,
  };
}

interface Harness {
  /** What the sources give now (a function may throw). */
  source: () => ResolvedCredentials;
  verdict: VerificationResult;
  events: RefreshEvent[];
  served: AwsCredentials[];
  resolveCalls: number;
  verifyCalls: number;
}

function start(inUse: ResolvedCredentials, refreshBeforeMs = 10 * MINUTE) {
  const h: Harness = {
    source: () => inUse,
    verdict: ok(),
    events: [],
    served: [],
    resolveCalls: 0,
    verifyCalls: 0,
  };
  const refresher = startCredentialRefresher({
    inUse: { resolved: inUse, account: ACCOUNT },
    refreshBeforeMs,
    retryMs: RETRY_MS,
    resolve: async () => {
      h.resolveCalls += 1;
      return h.source();
    },
    verify: async () => {
      h.verifyCalls += 1;
      return h.verdict;
    },
    serve: (credentials) => h.served.push(credentials),
    onEvent: (event) => {
      if (event.kind !== 'attempt-failed') h.events.push(event);
    },
  });
  return { h, refresher };
}

const kinds = (events: RefreshEvent[]) => events.map((event) => event.kind);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startCredentialRefresher', () => {
  it('does nothing before --refresh-before, then warns once and keeps looking without asking STS', async () => {
    const inUse = fromFile(30 * MINUTE);
    const { h, refresher } = start(inUse);

    await vi.advanceTimersByTimeAsync(20 * MINUTE - 1);
    expect(h.resolveCalls).toBe(0);

    await vi.advanceTimersByTimeAsync(1);
    expect(h.resolveCalls).toBe(1);
    expect(h.events).toEqual([
      {
        kind: 'cannot-refresh',
        expiresAt: inUse.credentials.expiration!.getTime(),
        detail: `${FILE} still holds the credentials in use`,
      },
    ]);

    await vi.advanceTimersByTimeAsync(5 * RETRY_MS);
    expect(h.resolveCalls).toBe(6);
    expect(kinds(h.events)).toEqual(['cannot-refresh']);
    expect(h.verifyCalls).toBe(0);
    refresher.stop();
  });

  it('serves credentials written after the warning, then tracks their own expiry', async () => {
    const { h, refresher } = start(fromFile(30 * MINUTE));
    await vi.advanceTimersByTimeAsync(20 * MINUTE);
    expect(kinds(h.events)).toEqual(['cannot-refresh']);

    const fresh = fromFile(60 * MINUTE);
    h.source = () => fresh;
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(h.served).toEqual([fresh.credentials]);
    expect(h.events.at(-1)).toEqual({ kind: 'refreshed', resolved: fresh, account: ACCOUNT });

    // No more attempts until the new credentials reach their own window.
    const calls = h.resolveCalls;
    const window = fresh.credentials.expiration!.getTime() - 10 * MINUTE;
    await vi.advanceTimersByTimeAsync(window - Date.now() - 1);
    expect(h.resolveCalls).toBe(calls);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.resolveCalls).toBe(calls + 1);
    // ... and a new warning: the earlier one was about other credentials.
    expect(kinds(h.events)).toEqual(['cannot-refresh', 'refreshed', 'cannot-refresh']);
    refresher.stop();
  });

  it('credentials that are already in the window at start are looked at once', async () => {
    const { h, refresher } = start(fromFile(3 * MINUTE));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.resolveCalls).toBe(1);
    expect(kinds(h.events)).toEqual(['cannot-refresh']);
    refresher.stop();
  });

  it('never switches to another account, and says so once per new reason', async () => {
    const { h, refresher } = start(fromFile(30 * MINUTE));
    await vi.advanceTimersByTimeAsync(20 * MINUTE);

    const other = fromFile(60 * MINUTE);
    h.source = () => other;
    h.verdict = ok('999988887777');
    await vi.advanceTimersByTimeAsync(4 * RETRY_MS);
    expect(h.served).toEqual([]);
    expect(h.verifyCalls).toBe(1); // the same refused credentials are not sent to STS again
    const refusals = h.events.filter((event) => event.kind === 'candidate-refused');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      detail: expect.stringContaining('account 999988887777, not 123456789012'),
    });
    refresher.stop();
  });

  it('credentials expiring no sooner are not asked about; STS trouble is asked again', async () => {
    const inUse = fromFile(30 * MINUTE);
    const { h, refresher } = start(inUse);
    await vi.advanceTimersByTimeAsync(20 * MINUTE);

    const sooner = fromFile(5 * MINUTE);
    h.source = () => sooner;
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(h.verifyCalls).toBe(0);
    expect(h.events.at(-1)).toMatchObject({
      kind: 'candidate-refused',
      detail: expect.stringContaining('sooner than'),
    });

    const later = fromFile(60 * MINUTE);
    h.source = () => later;
    h.verdict = {
      ok: false,
      reason: 'network',
      message: 'STS could not be reached (ECONNREFUSED).',
      fix: '',
      region: 'us-east-1',
    };
    await vi.advanceTimersByTimeAsync(2 * RETRY_MS);
    expect(h.verifyCalls).toBe(2);
    expect(h.served).toEqual([]);

    h.verdict = ok();
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(h.served).toEqual([later.credentials]);
    refresher.stop();
  });

  it('a half-written file is not news; a malformed one is', async () => {
    const { h, refresher } = start(fromFile(30 * MINUTE));
    await vi.advanceTimersByTimeAsync(20 * MINUTE);

    h.source = () => {
      throw new CredentialProblem('NOT_READY', `${FILE}: the file is empty (still being written?).`);
    };
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(kinds(h.events)).toEqual(['cannot-refresh']);

    h.source = () => {
      throw new CredentialProblem('MALFORMED', `${FILE}: line 2 is not KEY=value.`, 'Rewrite the file.');
    };
    await vi.advanceTimersByTimeAsync(2 * RETRY_MS);
    expect(h.events.slice(1)).toEqual([
      { kind: 'candidate-refused', detail: `${FILE}: line 2 is not KEY=value.` },
    ]);
    refresher.stop();
  });

  it('reports the expiry when nothing replaced the credentials, and keeps looking', async () => {
    const { h, refresher } = start(fromFile(30 * MINUTE));
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(kinds(h.events)).toEqual(['cannot-refresh', 'expired']);
    const fresh = fromFile(60 * MINUTE);
    h.source = () => fresh;
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(h.served).toEqual([fresh.credentials]);
    refresher.stop();
  });

  it('long-term keys (no expiration) are never refreshed ahead', async () => {
    const { h, refresher } = start(fromFile(undefined));
    await vi.advanceTimersByTimeAsync(24 * 60 * MINUTE);
    expect(h.resolveCalls).toBe(0);
    expect(h.events).toEqual([]);
    refresher.stop();
  });

  it('stop() ends everything, also an attempt in flight', async () => {
    const { h, refresher } = start(fromFile(30 * MINUTE));
    const fresh = fromFile(60 * MINUTE);
    h.source = () => fresh;
    await vi.advanceTimersByTimeAsync(20 * MINUTE - 1);
    // The attempt starts at the window; stop while it waits for its answer.
    vi.advanceTimersByTime(1);
    refresher.stop();
    await refresher.idle();
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(h.served).toEqual([]);
    expect(h.events).toEqual([]);
    expect(h.resolveCalls).toBe(1);
  });
});
