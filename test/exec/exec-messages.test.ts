import { describe, expect, it } from 'vitest';
import {
  candidateRefusedLine,
  cannotRefreshWarning,
  describeCommand,
  envDeliveryWarning,
  expiredLine,
  notificationText,
  refreshedLine,
  startLine,
} from '../../src/exec/exec-messages.js';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const FILE = '/home/me/my project/.cred-supervisor/credentials';

describe('exec messages', () => {
  it('the start line: account and time left', () => {
    expect(startLine({ account: '123456789012', expiresAt: NOW + 47 * 60_000, now: NOW })).toBe(
      '[cred-supervisor] running · account 123456789012 · 47m left',
    );
    expect(startLine({ account: '123456789012', expiresAt: null, now: NOW })).toBe(
      '[cred-supervisor] running · account 123456789012 · no expiry',
    );
  });

  it('quotes the command as a shell would need it and cuts it short', () => {
    expect(describeCommand(['cdk', 'deploy', '--all'])).toBe('cdk deploy --all');
    expect(describeCommand(['node', '-e', 'console.log(1)'])).toBe("node -e 'console.log(1)'");
    const long = describeCommand(['cdk', 'deploy', 'x'.repeat(100)]);
    expect(long).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
  });

  it('the warning says when, why, and how to refresh without a restart (file, and SSO for a profile)', () => {
    const text = cannotRefreshWarning({
      command: ['cdk', 'deploy'],
      expiresAt: NOW + 9 * 60_000 + 58_000,
      now: NOW,
      detail: `${FILE} still holds the credentials in use`,
      credentialsFile: FILE,
      profile: 'dev',
      timeZone: 'UTC',
    });
    expect(text).toContain('expire at 12:09 (in 9m 58s) and no fresher ones could be had:');
    expect(text).toContain(`${FILE} still holds the credentials in use.`);
    expect(text).toContain('`cdk deploy` keeps running');
    expect(text).toContain(
      `(umask 077; aws configure export-credentials --profile dev --format env > '${FILE}')`,
    );
    expect(text).toContain('npx cred-supervisor login --profile dev');
    const withoutProfile = cannotRefreshWarning({
      command: ['cdk', 'deploy'],
      expiresAt: NOW,
      now: NOW,
      detail: 'x',
      credentialsFile: FILE,
    });
    expect(withoutProfile).not.toContain('sso login');
    const sentence = cannotRefreshWarning({
      command: ['cdk'],
      expiresAt: NOW,
      now: NOW,
      detail: 'Profile dev: the SSO session expired.',
      credentialsFile: FILE,
    });
    expect(sentence).toContain('could be had: Profile dev: the SSO session expired.\n');
    expect(candidateRefusedLine('STS refused them (InvalidClientTokenId).')).toBe(
      'cred-supervisor: STS refused them (InvalidClientTokenId); still serving the credentials in use.',
    );
  });

  it('the refreshed, expired and env-delivery lines', () => {
    expect(
      refreshedLine({
        account: '123456789012',
        expiresAt: NOW + 3_600_000,
        now: NOW,
        sourceDescription: 'profile dev',
      }),
    ).toBe(
      '[cred-supervisor] running · account 123456789012 · 1h left · fresh credentials from profile dev, served without a restart',
    );
    expect(
      expiredLine({ command: ['cdk', 'deploy'], expiresAt: NOW, credentialsFile: FILE, timeZone: 'UTC' }),
    ).toMatch(
      /^cred-supervisor: ✖ the credentials expired at 12:00: AWS calls of `cdk deploy` fail until fresh ones arrive\./,
    );
    const env = envDeliveryWarning({
      command: ['./seed.sh'],
      expiresAt: NOW + 4 * 60_000,
      now: NOW,
      refreshBeforeMs: 10 * 60_000,
      credentialsFile: FILE,
      timeZone: 'UTC',
    });
    expect(env).toContain('(in 4m), sooner than --refresh-before (10m)');
    expect(env).toContain('--delivery env cannot refresh a running command');
    expect(notificationText(['cdk', 'deploy', '--all'], NOW, 'UTC')).toBe(
      'cred-supervisor: credentials for `cdk deploy` expire at 12:00; write fresh ones to the credentials file',
    );
  });
});
