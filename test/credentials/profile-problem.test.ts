import { describe, expect, it } from 'vitest';
import { CredentialProblem } from '../../src/credentials/errors.js';
import { problemFromProfileError } from '../../src/credentials/profile-problem.js';
import { scrubSecrets as redactSecrets } from '../../src/logging/redact.js';
import { sampleKeys } from './support/sample-credentials.js';

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('scrubSecrets (the one redaction module)', () => {
  it('masks key ids and removes secret-looking runs, keeping paths and words', () => {
    const keys = sampleKeys();
    const text = `key ${keys.accessKeyId} secret ${keys.secretAccessKey} token ${keys.sessionToken} in /home/someone/projects/a-rather-long-project-name/config`;
    const redacted = redactSecrets(text);
    expect(redacted).toBe(
      `key ${keys.accessKeyId.slice(0, 4)}…${keys.accessKeyId.slice(-4)} secret [REDACTED] token [REDACTED] in /home/someone/projects/a-rather-long-project-name/config`,
    );
  });
});

describe('problemFromProfileError', () => {
  const sso = { name: 'dev', kind: 'sso' as const };
  const role = { name: 'deploy', kind: 'assume-role' as const, sourceProfile: 'corp-sso' };

  it('passes our own problems through', () => {
    const own = new CredentialProblem('MFA_REQUIRED', 'x');
    expect(problemFromProfileError(own, role)).toBe(own);
  });

  it('network failures and 5xx are NETWORK, also when wrapped in an SSO error', () => {
    expect(problemFromProfileError(sdkError('Error', 'connect', { code: 'ECONNREFUSED' }), role).code).toBe(
      'NETWORK',
    );
    expect(problemFromProfileError(sdkError('TimeoutError', 'slow'), role).code).toBe('NETWORK');
    expect(
      problemFromProfileError(
        sdkError('InternalFailure', 'oops', { $metadata: { httpStatusCode: 503 } }),
        role,
      ).code,
    ).toBe('NETWORK');
    expect(
      problemFromProfileError(
        sdkError('CredentialsProviderError', 'Error: getaddrinfo ENOTFOUND portal.sso'),
        sso,
      ).code,
    ).toBe('NETWORK');
  });

  it('an SSO session that is gone is SSO_EXPIRED; for a role on SSO the login is the source profile', () => {
    const expired = sdkError(
      'CredentialsProviderError',
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
    );
    expect(problemFromProfileError(expired, sso)).toMatchObject({
      code: 'SSO_EXPIRED',
      fix: 'Run: npx cred-supervisor login --profile dev',
    });
    expect(problemFromProfileError(expired, role)).toMatchObject({
      code: 'SSO_EXPIRED',
      problem: 'Profile deploy (assume-role): the SSO session of profile corp-sso is missing or has expired.',
      fix: 'Run: npx cred-supervisor login --profile corp-sso',
    });
    expect(
      problemFromProfileError(sdkError('UnauthorizedException', 'Session token not found or invalid'), sso)
        .code,
    ).toBe('SSO_EXPIRED');
  });

  it('anything else is PROFILE_FAILED with the SDK message, redacted', () => {
    const keys = sampleKeys();
    const problem = problemFromProfileError(
      sdkError('ValidationError', `Bad thing about ${keys.accessKeyId} and ${keys.secretAccessKey}`),
      role,
    );
    expect(problem.code).toBe('PROFILE_FAILED');
    expect(problem.message).toMatch(
      /^Profile deploy \(assume-role\) could not be resolved: ValidationError: Bad thing/,
    );
    expect(problem.message).not.toContain(keys.accessKeyId);
    expect(problem.message).not.toContain(keys.secretAccessKey);
  });
});
