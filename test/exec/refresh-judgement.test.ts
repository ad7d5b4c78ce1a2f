import { describe, expect, it } from 'vitest';
import type { CredentialSource } from '../../src/credentials/types.js';
import {
  type InUseFacts,
  judgeVerifiedCandidate,
  precheckCandidate,
  unchangedDetail,
} from '../../src/exec/refresh-judgement.js';

const FILE: CredentialSource = { kind: 'file', description: 'file /p/creds (env lines)', path: '/p/creds' };
const inUse: InUseFacts = { fingerprint: 'A', account: '123456789012', expiresAt: 1_000_000 };

describe('precheckCandidate', () => {
  it('the same credentials again: unchanged', () => {
    expect(precheckCandidate(inUse, { fingerprint: 'A', expiresAt: 1_000_000, source: FILE })).toEqual({
      verdict: 'unchanged',
      detail: '/p/creds still holds the credentials in use',
    });
  });

  it('other credentials that expire sooner: not worth a switch (the rule watch applies too)', () => {
    const check = precheckCandidate(inUse, { fingerprint: 'B', expiresAt: 999_999, source: FILE }, 'UTC');
    expect(check).toMatchObject({ verdict: 'not-later', detail: expect.stringContaining('sooner than') });
    expect(precheckCandidate(inUse, { fingerprint: 'B', expiresAt: 1_000_000, source: FILE })).toEqual({
      verdict: 'verify',
    });
  });

  it('later, or without an expiration: ask STS', () => {
    expect(precheckCandidate(inUse, { fingerprint: 'B', expiresAt: 1_000_001, source: FILE })).toEqual({
      verdict: 'verify',
    });
    expect(precheckCandidate(inUse, { fingerprint: 'B', source: FILE })).toEqual({ verdict: 'verify' });
    expect(
      precheckCandidate({ ...inUse, expiresAt: undefined }, { fingerprint: 'B', expiresAt: 5, source: FILE }),
    ).toEqual({
      verdict: 'verify',
    });
  });

  it('names the source in the unchanged detail', () => {
    expect(unchangedDetail({ kind: 'profile', description: 'profile dev', profile: 'dev' })).toBe(
      'profile dev still gives the credentials in use',
    );
    expect(unchangedDetail({ kind: 'env', description: 'environment' })).toMatch(
      /environment, which cannot change/,
    );
  });
});

describe('judgeVerifiedCandidate', () => {
  const candidate = { fingerprint: 'B', expiresAt: 2_000_000, source: FILE };
  const rules = { now: 500_000, stopBeforeMs: 60_000 };
  const verified = (account: string) =>
    ({
      ok: true,
      account,
      arn: 'arn',
      userId: 'u',
      region: 'us-east-1',
      temporary: true,
      root: false,
    }) as const;

  it('the same account: fresher', () => {
    expect(judgeVerifiedCandidate(inUse, candidate, verified('123456789012'), rules)).toEqual({
      fresher: true,
    });
  });

  it('another account: never, naming both', () => {
    const verdict = judgeVerifiedCandidate(inUse, candidate, verified('999988887777'), rules);
    expect(verdict).toEqual({
      fresher: false,
      detail: expect.stringMatching(/account 999988887777, not 123456789012/),
    });
  });

  it('refused by STS: says what STS said', () => {
    const verdict = judgeVerifiedCandidate(
      inUse,
      candidate,
      {
        ok: false,
        reason: 'invalid',
        message: 'STS does not accept these credentials (InvalidClientTokenId, HTTP 403).',
        fix: 'x',
        region: 'us-east-1',
      },
      rules,
    );
    expect(verdict).toEqual({
      fresher: false,
      detail:
        'the new credentials from /p/creds were refused: STS does not accept these credentials (InvalidClientTokenId, HTTP 403).',
    });
  });
});
