import { describe, expect, it } from 'vitest';
import {
  formatStatusHuman,
  formatStatusTmux,
  initialStatus,
  type StatusSnapshot,
  statusSnapshotSchema,
  toStatusJson,
} from '../../src/control/status.js';

const now = new Date('2025-06-01T12:00:00Z');

function running(overrides: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    state: 'running',
    pid: 4242,
    child: { pid: 5151, restarts: 2, startedAt: '2025-06-01T11:48:00Z' },
    credentials: {
      account: '123456789012',
      arn: 'arn:aws:sts::123456789012:assumed-role/Dev/alice',
      expiresAt: '2025-06-01T12:42:30Z',
      source: '.cred-supervisor/credentials',
    },
    lastError: null,
    ...overrides,
  };
}

describe('status JSON', () => {
  it("has exactly the spec's keys, in the spec's order, whatever the caller's object carries", () => {
    const withExtras = { ...running(), secret: 'x', child: { ...running().child, env: { A: 1 } } };
    const json = JSON.parse(JSON.stringify(toStatusJson(withExtras)));
    expect(Object.keys(json)).toEqual(['state', 'pid', 'child', 'credentials', 'lastError', 'sso']);
    expect(Object.keys(json.child)).toEqual(['pid', 'restarts', 'startedAt']);
    expect(Object.keys(json.credentials)).toEqual(['account', 'arn', 'expiresAt', 'source']);
  });

  it('adds the region and where it came from after credentials, in the JSON and the human answer', () => {
    const snapshot = running({ region: { name: 'eu-west-1', from: 'from AWS_REGION' } });
    const json = JSON.parse(JSON.stringify(toStatusJson(snapshot)));
    expect(Object.keys(json)).toEqual(['state', 'pid', 'child', 'credentials', 'region', 'lastError', 'sso']);
    expect(json.region).toEqual({ name: 'eu-west-1', from: 'from AWS_REGION' });
    expect(statusSnapshotSchema.safeParse(json).success).toBe(true);
    expect(formatStatusHuman(snapshot, now)).toContain('  region:       eu-west-1 (from AWS_REGION)\n');
  });

  it('uses null for what is not known yet', () => {
    expect(JSON.stringify(toStatusJson(initialStatus(7)))).toBe(
      '{"state":"starting","pid":7,"child":{"pid":null,"restarts":0,"startedAt":null},' +
        '"credentials":{"account":null,"arn":null,"expiresAt":null,"source":null},"lastError":null,"sso":null}',
    );
  });

  it('gains sso for an SSO profile: times and states only, nothing else the caller holds', () => {
    const sso = {
      session: 'corp',
      tokenExpiresAt: '2025-06-01T20:00:00.000Z',
      lastRefresh: '2025-06-01T12:00:00.000Z',
      refreshToken: 'works' as const,
      loginInProgress: false,
    };
    const json = toStatusJson({ ...running(), sso: { ...sso, accessToken: 'aoa-secret' } as typeof sso });
    expect(json.sso).toEqual(sso);
    expect(JSON.stringify(json)).not.toContain('aoa-secret');
    expect(statusSnapshotSchema.safeParse({ ...running(), sso }).success).toBe(true);
    // An older supervisor sends no sso: still a valid answer, read as null.
    const older = statusSnapshotSchema.safeParse(running());
    expect(older.success && older.data.sso).toBeNull();
    expect(
      statusSnapshotSchema.safeParse({ ...running(), sso: { ...sso, refreshToken: 'maybe' } }).success,
    ).toBe(false);
  });

  it('accepts only the seven states', () => {
    for (const state of [
      'starting',
      'running',
      'waiting-for-credentials',
      'stopping',
      'backoff',
      'fatal',
      'stopped',
    ]) {
      expect(statusSnapshotSchema.safeParse({ ...running(), state }).success).toBe(true);
    }
    expect(statusSnapshotSchema.safeParse({ ...running(), state: 'waiting' }).success).toBe(false);
  });
});

describe('formatStatusHuman', () => {
  it('says state, child pid, restarts, account and time left', () => {
    expect(formatStatusHuman(running(), now)).toBe(
      [
        'cred-supervisor: running (pid 4242)',
        '  child:        pid 5151, up 12m, restarted 2 times',
        '  account:      123456789012 (arn:aws:sts::123456789012:assumed-role/Dev/alice)',
        '  credentials:  expire in 42m 30s (2025-06-01T12:42:30Z), from .cred-supervisor/credentials',
        '',
      ].join('\n'),
    );
  });

  it('says when credentials expired and what is awaited', () => {
    const text = formatStatusHuman(
      running({
        state: 'waiting-for-credentials',
        child: { pid: null, restarts: 1, startedAt: null },
        credentials: { ...running().credentials, expiresAt: '2025-06-01T11:57:00Z' },
        lastError: 'ExpiredToken: The security token included in the request is expired',
      }),
      now,
    );
    expect(text).toContain('child:        not running, restarted 1 time');
    expect(text).toContain('credentials:  expired 3m ago');
    expect(text).toContain('waiting for fresh credentials');
    expect(text).toContain('last error:   ExpiredToken');
  });

  it('copes with a supervisor that knows nothing yet', () => {
    const text = formatStatusHuman(initialStatus(9), now);
    expect(text).toContain('cred-supervisor: starting (pid 9)');
    expect(text).toContain('account:      unknown');
    expect(text).toContain('credentials:  none yet');
  });
});

describe('formatStatusTmux', () => {
  it('is short while running: account and time left', () => {
    expect(formatStatusTmux(running(), now)).toBe('☁ 1234…9012 42m');
    const later = running({ credentials: { ...running().credentials, expiresAt: '2025-06-01T13:05:00Z' } });
    expect(formatStatusTmux(later, now)).toBe('☁ 1234…9012 1h05m');
  });

  it('stands out when credentials are needed or the supervisor gave up', () => {
    expect(formatStatusTmux(running({ state: 'waiting-for-credentials' }), now)).toBe('⚠ creds!');
    expect(formatStatusTmux(running({ state: 'fatal' }), now)).toBe('✖ fatal');
    const expired = running({ credentials: { ...running().credentials, expiresAt: '2025-06-01T11:00:00Z' } });
    expect(formatStatusTmux(expired, now)).toBe('⚠ 1234…9012 expired');
  });

  it('names the other states', () => {
    expect(formatStatusTmux(running({ state: 'backoff' }), now)).toBe('☁ 1234…9012 backoff');
    expect(formatStatusTmux(initialStatus(), now)).toBe('☁ starting');
  });

  it('has a plain ASCII form', () => {
    expect(formatStatusTmux(running(), now, { ascii: true })).toBe('aws 1234..9012 42m');
    expect(formatStatusTmux(running({ state: 'waiting-for-credentials' }), now, { ascii: true })).toBe(
      '!! creds!',
    );
    expect(formatStatusTmux(running(), now, { ascii: true })).toMatch(/^[\x20-\x7e]+$/);
  });
});
