import { describe, expect, it } from 'vitest';
import {
  type ChecklistFacts,
  checklistJson,
  formatChecklist,
  LONG_TERM_WARNING,
} from '../../src/verify/checklist.js';
import type { VerificationFailure } from '../../src/verify/verification-result.js';

const now = new Date('2026-11-28T10:00:00.000Z');
const expiresAt = new Date('2026-11-28T10:42:30.000Z');
const file = '/home/dev/app/.cred-supervisor/credentials';

function okFacts(overrides: Partial<ChecklistFacts> = {}): ChecklistFacts {
  return {
    result: {
      ok: true,
      account: '123456789012',
      arn: 'arn:aws:sts::123456789012:assumed-role/Developer/dev',
      userId: 'AROAEXAMPLE:dev',
      region: 'eu-west-1',
      temporary: true,
      root: false,
      expiresAt,
      timeLeftMs: expiresAt.getTime() - now.getTime(),
    },
    region: { region: 'eu-west-1', from: 'AWS_REGION' },
    source: { kind: 'file', description: file, path: file },
    keys: { temporary: true, expiresAt },
    expectAccount: '123456789012',
    hint: { credentialsFile: file },
    now,
    ...overrides,
  };
}

function failFacts(
  failure: Omit<VerificationFailure, 'ok' | 'region'>,
  overrides: Partial<ChecklistFacts> = {},
) {
  return okFacts({ result: { ok: false, region: 'eu-west-1', ...failure }, ...overrides });
}

describe('formatChecklist', () => {
  it('lists account, identity, region and its origin, type, time left and source', () => {
    const text = formatChecklist(okFacts());
    expect(text).toMatch(/✔ Account\s+123456789012 \(as expected\)/);
    expect(text).toMatch(/✔ Identity\s+arn:aws:sts::123456789012:assumed-role\/Developer\/dev/);
    expect(text).toMatch(/✔ Region\s+eu-west-1 \(from AWS_REGION\)/);
    expect(text).toMatch(/✔ Credentials\s+temporary/);
    expect(text).toMatch(/✔ Time left\s+42m 30s \(until 2026-11-28T10:42:30.000Z\)/);
    expect(text).toContain(`Source       credentials file ${file}`);
    expect(text).toContain('Credentials OK.');
    expect(text).not.toContain('\x1b[');
  });

  it('warns about long-term keys and advises temporary credentials', () => {
    const facts = okFacts({ keys: { temporary: false } });
    facts.result = { ...(facts.result as Extract<typeof facts.result, { ok: true }>), temporary: false };
    delete (facts.result as { expiresAt?: Date }).expiresAt;
    const text = formatChecklist(facts);
    expect(text).toMatch(/⚠ Credentials\s+long-term access key \(AKIA…\): less secure/);
    expect(text).toMatch(/Prefer temporary credentials/);
    expect(text).toMatch(/Time left\s+no expiry \(long-term key\)/);
  });

  it('colours marks only when asked', () => {
    expect(formatChecklist(okFacts(), { color: true })).toContain('\x1b[32m✔\x1b[0m');
  });

  it('on expiry: the problem and how to provide credentials at the exact path, not also a generic Fix', () => {
    const text = formatChecklist(
      failFacts({
        reason: 'expired',
        code: 'ExpiredToken',
        message: 'STS says these credentials have expired.',
        fix: 'Get fresh ones.',
      }),
    );
    expect(text).toMatch(/✖ Credentials\s+STS says these credentials have expired\./);
    expect(text).not.toContain('Fix:');
    expect(text).toContain(`aws configure export-credentials --format env > ${file}`);
  });

  it('a file problem with its own fix (git tracking): that fix alone, not the ways to write credentials', () => {
    const text = formatChecklist(
      failFacts({
        reason: 'invalid',
        code: 'TRACKED_BY_GIT',
        message: `${file} is tracked by git, so the credentials in it would be committed.`,
        fix: 'Run: git rm --cached credentials and add it to .gitignore.',
      }),
    );
    expect(text).toContain('Fix: Run: git rm --cached credentials');
    expect(text).not.toContain('export-credentials');
    expect(text).not.toContain('Credentials are needed');
  });

  it('shows the stated expiry on failure only when it has passed', () => {
    const stsSaysExpired = failFacts({
      reason: 'expired',
      code: 'ExpiredToken',
      message: 'STS says expired.',
      fix: 'x',
    });
    expect(formatChecklist(stsSaysExpired)).not.toContain('Time left');
    const pastIt = failFacts(
      { reason: 'expired', code: 'EXPIRED', message: 'Expired.', fix: 'x' },
      { keys: { temporary: true, expiresAt: new Date(now.getTime() - 90_000) } },
    );
    expect(formatChecklist(pastIt)).toMatch(/✖ Time left\s+none: expired 1m 30s ago/);
  });

  it('on a refusal: names the account it was for and the expected one', () => {
    const text = formatChecklist(
      failFacts({
        reason: 'wrong-account',
        message: 'These credentials are for account 111122223333, but the expected account is 123456789012.',
        fix: 'Provide credentials for account 123456789012.',
        identity: { account: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/X/y', userId: 'u' },
      }),
    );
    expect(text).toMatch(/✖ Refused/);
    expect(text).toMatch(/Account\s+111122223333 \(expected 123456789012\)/);
  });

  it('on network trouble: no "provide credentials" text, the credentials may be fine', () => {
    const text = formatChecklist(
      failFacts({
        reason: 'network',
        code: 'ECONNREFUSED',
        message: 'STS could not be reached.',
        fix: 'Check the network.',
      }),
    );
    expect(text).toMatch(/✖ STS\s+STS could not be reached\./);
    expect(text).not.toContain('export-credentials');
    expect(text).not.toMatch(/expired/i);
  });
});

describe('checklistJson', () => {
  const KEYS = [
    'ok',
    'status',
    'account',
    'arn',
    'userId',
    'region',
    'regionFrom',
    'credentialType',
    'expiresAt',
    'timeLeftMs',
    'source',
    'sourceNotes',
    'expectAccount',
    'warnings',
    'problem',
    'credentialRoute',
  ];

  it('has the same facts as the checklist, under stable keys', () => {
    const json = checklistJson(okFacts());
    expect(Object.keys(json)).toEqual(KEYS);
    expect(json).toEqual({
      ok: true,
      status: 'ok',
      account: '123456789012',
      arn: 'arn:aws:sts::123456789012:assumed-role/Developer/dev',
      userId: 'AROAEXAMPLE:dev',
      region: 'eu-west-1',
      regionFrom: 'AWS_REGION',
      credentialType: 'temporary',
      expiresAt: '2026-11-28T10:42:30.000Z',
      timeLeftMs: 42.5 * 60_000,
      source: { kind: 'file', description: file, path: file, profile: null },
      sourceNotes: [],
      expectAccount: '123456789012',
      warnings: [],
      problem: null,
      credentialRoute: null,
    });
  });

  it('keeps every key on failure, with null for what is not known', () => {
    const json = checklistJson(
      failFacts(
        { reason: 'missing', code: 'NOT_FOUND', message: 'No credentials.', fix: 'Write the file.' },
        { source: undefined, keys: undefined, expectAccount: undefined },
      ),
    );
    expect(Object.keys(json)).toEqual(KEYS);
    expect(json).toMatchObject({
      ok: false,
      status: 'missing',
      account: null,
      credentialType: null,
      expiresAt: null,
      timeLeftMs: null,
      source: null,
      expectAccount: null,
      credentialRoute: null,
      problem: { reason: 'missing', code: 'NOT_FOUND', message: 'No credentials.', fix: 'Write the file.' },
    });
  });

  it('carries the long-term warning', () => {
    const facts = okFacts();
    facts.result = { ...(facts.result as Extract<typeof facts.result, { ok: true }>), temporary: false };
    expect(checklistJson(facts)).toMatchObject({
      credentialType: 'long-term',
      warnings: [LONG_TERM_WARNING],
    });
  });
});

describe('the credential route of the command watch would run', () => {
  it('is a row of the checklist and a key of the JSON, a restart-based one marked as a warning', () => {
    const route = {
      kind: 'restart' as const,
      client: 'CDK CLI 2.150.0',
      why: 'CDK CLI 2.150.0 resolves credentials once, so it is restarted.',
    };
    const facts = { ...okFacts(), route };
    expect(formatChecklist(facts)).toContain(
      '⚠ Command gets restart: CDK CLI 2.150.0 resolves credentials once',
    );
    expect(checklistJson(facts).credentialRoute).toEqual({ kind: 'restart', why: route.why });
  });
});
