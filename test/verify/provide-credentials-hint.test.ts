import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/prompt/shell-quote.js';
import { provideCredentialsHint } from '../../src/verify/provide-credentials-hint.js';

describe('provideCredentialsHint', () => {
  it('gives the write commands (AWS CLI v2 and v1) for the exact path, creating it owner-only', () => {
    const text = provideCredentialsHint({ credentialsFile: '/srv/app/.cred-supervisor/credentials' });
    expect(text).toContain(
      'AWS CLI v2: (umask 077; aws configure export-credentials --format env > /srv/app/.cred-supervisor/credentials)',
    );
    expect(text).toContain(
      'AWS CLI v1: (umask 077; aws sts get-session-token --output json > /srv/app/.cred-supervisor/credentials)',
    );
    expect(text).not.toContain('cred-supervisor login');
    expect(text).not.toContain('mkdir');
  });

  it('starts with mkdir -p when the directory does not exist yet', () => {
    const text = provideCredentialsHint({
      credentialsFile: '/srv/app/.cred-supervisor/credentials',
      createDirectory: true,
    });
    expect(text).toMatch(
      /mkdir -p \/srv\/app\/.cred-supervisor\n\s+AWS CLI v2: \(umask 077; aws configure export-credentials/,
    );
  });

  it('with a profile, its own refresh (and sso login in case it is SSO); account and region named', () => {
    const text = provideCredentialsHint({
      credentialsFile: '/srv/app/creds',
      profile: 'dev',
      expectAccount: '123456789012',
      region: 'eu-west-1',
    });
    expect(text).toContain('Credentials are needed for account 123456789012 in eu-west-1.');
    expect(text).toContain('npx cred-supervisor login --profile dev');
    expect(text).not.toContain('export-credentials');
  });

  it('offers the SSO login only for an SSO profile (the profile kind reaches the text)', () => {
    const sso = provideCredentialsHint({ credentialsFile: '/c', profile: 'dev', profileKind: 'sso' });
    expect(sso).toContain('npx cred-supervisor login --profile dev');
    for (const profileKind of ['assume-role', 'static'] as const) {
      const other = provideCredentialsHint({ credentialsFile: '/c', profile: 'deploy', profileKind });
      expect(other).not.toContain('cred-supervisor login');
    }
  });

  it('quotes paths a shell would split', () => {
    const text = provideCredentialsHint({ credentialsFile: "/home/o'neil/my app/creds" });
    expect(text).toContain(`> '/home/o'\\''neil/my app/creds'`);
  });
});

describe('shellQuote', () => {
  it('leaves plain paths alone and single-quotes the rest', () => {
    expect(shellQuote('/a/b-c_d.e')).toBe('/a/b-c_d.e');
    expect(shellQuote('a b')).toBe(`'a b'`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
  });
});
