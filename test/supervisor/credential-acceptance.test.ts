/**
 * "May these credentials replace the ones in use" is one rule (verify/credential-acceptance.ts). This
 * table drives both of its callers — the watch state machine and exec's refresh judgement — with the
 * same cases and checks that they agree. Before the rule was shared, watch served another account's
 * credentials to the running child (0 restarts) while exec refused them.
 */
import { describe, expect, it } from 'vitest';
import type { CredentialSource } from '../../src/credentials/types.js';
import { judgeVerifiedCandidate } from '../../src/exec/refresh-judgement.js';
import { mayReplace } from '../../src/verify/credential-acceptance.js';
import { find, HOUR, MachineDriver, MINUTE, T0, types } from './machine-driver.js';

const ACCOUNT = '123456789012';
const OTHER = '999988887777';
const FILE: CredentialSource = { kind: 'file', description: 'file /p/creds', path: '/p/creds' };

interface Case {
  name: string;
  candidate: { fingerprint: string; account: string; expiresAt: number | null };
  replaced: boolean;
}

// In use: fingerprint ASIAFIRST, ACCOUNT, expiring at T0 + 1h; now is T0 + 5m; --stop-before 1m.
const CASES: Case[] = [
  {
    name: 'later, same account',
    candidate: { fingerprint: 'B', account: ACCOUNT, expiresAt: T0 + 2 * HOUR },
    replaced: true,
  },
  {
    name: 'same expiry, same account',
    candidate: { fingerprint: 'B', account: ACCOUNT, expiresAt: T0 + HOUR },
    replaced: true,
  },
  {
    name: 'long-term keys, same account',
    candidate: { fingerprint: 'B', account: ACCOUNT, expiresAt: null },
    replaced: true,
  },
  {
    // The person rewrote the file: their word, used although it expires sooner.
    name: 'sooner, same account, written to the file',
    candidate: { fingerprint: 'B', account: ACCOUNT, expiresAt: T0 + 30 * MINUTE },
    replaced: true,
  },
  {
    name: 'later, another account',
    candidate: { fingerprint: 'B', account: OTHER, expiresAt: T0 + 2 * HOUR },
    replaced: false,
  },
  {
    name: 'the same credentials',
    candidate: { fingerprint: 'ASIAFIRST', account: ACCOUNT, expiresAt: T0 + HOUR },
    replaced: false,
  },
  {
    name: 'within --stop-before',
    candidate: { fingerprint: 'B', account: ACCOUNT, expiresAt: T0 + 5 * MINUTE + 30_000 },
    replaced: false,
  },
];

function watchReplaces(c: Case): boolean {
  const d = new MachineDriver({ stopBeforeMs: MINUTE }).startRunning({ expiresAt: T0 + HOUR });
  d.advance(5 * MINUTE);
  d.send({ type: 'fresh-credentials-available', trigger: 'file' });
  const effects = d.verified({ ...c.candidate });
  return (
    types(effects).includes('serve-credentials') &&
    d.state.credentials?.fingerprint === c.candidate.fingerprint
  );
}

function execReplaces(c: Case): boolean {
  const verdict = judgeVerifiedCandidate(
    { fingerprint: 'ASIAFIRST', account: ACCOUNT, expiresAt: T0 + HOUR },
    { fingerprint: c.candidate.fingerprint, expiresAt: c.candidate.expiresAt ?? undefined, source: FILE },
    {
      ok: true,
      account: c.candidate.account,
      arn: 'arn',
      userId: 'u',
      region: 'us-east-1',
      temporary: true,
      root: false,
    },
    { now: T0 + 5 * MINUTE, stopBeforeMs: MINUTE },
  );
  return verdict.fresher;
}

describe('credential acceptance: watch and exec agree', () => {
  it.each(CASES)('$name', (c) => {
    expect(watchReplaces(c)).toBe(c.replaced);
    expect(execReplaces(c)).toBe(c.replaced);
  });
});

describe('another account is never served to a running child (watch)', () => {
  it('stops the child with a prompt naming both accounts, and restarts on the new one only after `r`', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    const stopping = d.verified({ fingerprint: 'ASIAOTHER', account: OTHER, expiresAt: T0 + 2 * HOUR });
    expect(types(stopping)).not.toContain('serve-credentials');
    expect(stopping).toContainEqual({ type: 'stop-child', reason: 'credentials-needed' });
    expect(d.state.credentials?.account).toBe(ACCOUNT);

    const prompt = find(d.send({ type: 'child-stopped' }), 'print-prompt');
    expect(prompt?.reason).toMatchObject({ kind: 'rejected', problem: 'other-account' });
    const detail = prompt?.reason.kind === 'rejected' ? prompt.reason.detail : '';
    expect(detail).toContain(OTHER);
    expect(detail).toContain(ACCOUNT);
    expect(detail).toContain(`reload --accept-account ${OTHER}`);

    // A plain re-read (the file touched again) does not switch.
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    expect(
      types(d.verified({ fingerprint: 'ASIAOTHER', account: OTHER, expiresAt: T0 + 2 * HOUR })),
    ).not.toContain('spawn-child');

    // The person confirms with `r`.
    d.send({ type: 'fresh-credentials-available', trigger: 'key' });
    const spawning = d.verified({ fingerprint: 'ASIAOTHER', account: OTHER, expiresAt: T0 + 2 * HOUR });
    expect(types(spawning)).toContain('spawn-child');
    expect(d.state.credentials?.account).toBe(OTHER);
  });

  it('`reload --accept-account` confirms only the account it names', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    d.verified({ fingerprint: 'ASIAOTHER', account: OTHER, expiresAt: T0 + 2 * HOUR });
    d.send({ type: 'child-stopped' });

    d.send({ type: 'fresh-credentials-available', trigger: 'reload', acceptAccount: '111122223333' });
    expect(
      types(d.verified({ fingerprint: 'ASIAOTHER', account: OTHER, expiresAt: T0 + 2 * HOUR })),
    ).not.toContain('spawn-child');
    d.send({ type: 'fresh-credentials-available', trigger: 'reload', acceptAccount: OTHER });
    expect(
      types(d.verified({ fingerprint: 'ASIAOTHER', account: OTHER, expiresAt: T0 + 2 * HOUR })),
    ).toContain('spawn-child');
  });

  it('credentials for the original account, written back, restart the child without confirmation', () => {
    const d = new MachineDriver().startRunning();
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    d.verified({ fingerprint: 'ASIAOTHER', account: OTHER, expiresAt: T0 + 2 * HOUR });
    d.send({ type: 'child-stopped' });
    d.send({ type: 'fresh-credentials-available', trigger: 'file' });
    expect(
      types(d.verified({ fingerprint: 'ASIABACK', account: ACCOUNT, expiresAt: T0 + 2 * HOUR })),
    ).toContain('spawn-child');
  });
});

describe('mayReplace', () => {
  const inUse = { fingerprint: 'A', account: ACCOUNT, expiresAt: T0 + HOUR, broken: false };
  const rules = { now: T0, stopBeforeMs: MINUTE };

  it('takes sooner credentials when the ones in use are broken (STS refused them early)', () => {
    const sooner = { fingerprint: 'B', account: ACCOUNT, expiresAt: T0 + 30 * MINUTE };
    expect(mayReplace(inUse, sooner, rules)).toEqual({ verdict: 'not-later' });
    expect(mayReplace({ ...inUse, broken: true }, sooner, rules)).toEqual({ verdict: 'replace' });
  });

  it('takes sooner credentials the person provided (a rewritten file, a reload), not a routine refresh', () => {
    const sooner = { fingerprint: 'B', account: ACCOUNT, expiresAt: T0 + 30 * MINUTE };
    expect(mayReplace(inUse, sooner, { ...rules, provided: true })).toEqual({ verdict: 'replace' });
    expect(mayReplace(inUse, sooner, { ...rules, provided: false })).toEqual({ verdict: 'not-later' });
    // Another account stays another account, whoever provided it.
    const other = { ...sooner, account: '999999999999' };
    expect(mayReplace(inUse, other, { ...rules, provided: true })).toMatchObject({
      verdict: 'other-account',
    });
  });

  it('accepts 5-minute credentials (more than --stop-before left), refuses 50-second ones', () => {
    const broken = { ...inUse, broken: true };
    expect(
      mayReplace(broken, { fingerprint: 'B', account: ACCOUNT, expiresAt: T0 + 5 * MINUTE }, rules),
    ).toEqual({
      verdict: 'replace',
    });
    expect(mayReplace(broken, { fingerprint: 'B', account: ACCOUNT, expiresAt: T0 + 50_000 }, rules)).toEqual(
      {
        verdict: 'too-short',
        leftMs: 50_000,
      },
    );
  });
});
