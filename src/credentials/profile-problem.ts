/**
 * SDK errors from resolving a profile → a CredentialProblem that says what happened and what to run.
 * The distinctions matter to the supervisor: an SSO session to renew (`aws sso login`), an MFA code
 * that cannot be asked for, expired source credentials, and a network failure (retry, never "expired").
 */

import { scrubSecrets as redactSecrets } from '../logging/redact.js';
import { ssoRoleProblem } from '../sso/sso-problem.js';
import type { ProfileKind } from './describe-profile.js';
import { CredentialProblem } from './errors.js';
import { ssoLoginFixCommand } from './fix-commands.js';

interface SdkishError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up)\b/;

export function isNetworkError(error: SdkishError): boolean {
  if (error.code && NETWORK_CODES.test(error.code)) return true;
  if (error.name === 'TimeoutError' || error.name === 'RequestTimeout') return true;
  if ((error.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return NETWORK_CODES.test(error.message ?? '');
}

function firstLines(text: string, max = 300): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
}

/** credential_process failures carry `Command failed: <the command line>`: the command may hold secrets. */
function processFailure(profile: string, message: string): string {
  const [firstLine = '', ...rest] = message.split('\n');
  if (!firstLine.startsWith('Command failed')) return redactSecrets(message);
  const stderr = rest.join('\n').trim();
  return `its credential_process failed${stderr ? `: ${redactSecrets(firstLines(stderr))}` : ''} (profile ${profile})`;
}

export interface ProfileFacts {
  name: string;
  kind: ProfileKind;
  /** For an assume-role profile: the profile holding the credentials it assumes the role with. */
  sourceProfile?: string;
}

// What the SDK's SSO providers say when the cached SSO token is missing, expired or rejected.
const SSO_SESSION_GONE = /SSO session|sso login|SSO Token|UnauthorizedException/i;

export function problemFromProfileError(error: unknown, facts: ProfileFacts): CredentialProblem {
  const { name: profile, kind } = facts;
  if (error instanceof CredentialProblem) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkishError;
  const message = e.message ?? String(error);
  const name = e.name ?? 'Error';
  const subject = `Profile ${profile} (${kind})`;

  if (isNetworkError(e)) {
    return new CredentialProblem(
      'NETWORK',
      `${subject}: could not reach AWS (${redactSecrets(firstLines(e.code ?? message, 120))}).`,
      'Check the network or VPN; this is retried, it does not mean the credentials expired.',
    );
  }
  const refusedRole = kind === 'sso' ? ssoRoleProblem(e, profile) : undefined;
  if (refusedRole) return refusedRole;
  if (SSO_SESSION_GONE.test(`${name} ${message}`)) {
    // For a role assumed with SSO credentials, the login is the source profile's.
    const loginProfile = kind === 'assume-role' && facts.sourceProfile ? facts.sourceProfile : profile;
    return new CredentialProblem(
      'SSO_EXPIRED',
      `${subject}: the SSO session${loginProfile === profile ? '' : ` of profile ${loginProfile}`} is missing or has expired.`,
      `Run: ${ssoLoginFixCommand(loginProfile)}`,
    );
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException') {
    return new CredentialProblem(
      'EXPIRED',
      `${subject}: the credentials it assumes the role with have expired (STS ${name}).`,
      'Refresh the source profile (its keys or its SSO session), then try again.',
    );
  }
  if (/credential_process returned expired credentials/.test(message)) {
    return new CredentialProblem(
      'EXPIRED',
      `${subject}: its credential_process returned expired credentials.`,
    );
  }
  if (name === 'AccessDenied' && /MultiFactorAuthentication/i.test(message)) {
    return new CredentialProblem(
      'PROFILE_FAILED',
      `${subject}: STS refused the MFA code (AccessDenied).`,
      'Enter the current code from the MFA device (codes are single-use and change every 30 seconds).',
    );
  }
  if (kind === 'process') {
    return new CredentialProblem('PROFILE_FAILED', `${subject}: ${processFailure(profile, message)}.`);
  }
  return new CredentialProblem(
    'PROFILE_FAILED',
    `${subject} could not be resolved: ${name === 'Error' || name === 'CredentialsProviderError' ? '' : `${name}: `}${redactSecrets(firstLines(message))}`,
  );
}
