/**
 * The SSO answers that are neither "log in again" nor a network failure: the portal refusing the role
 * itself (ForbiddenException, not modelled by the SDK's SSO client, so it arrives as a message). A new
 * login would not help, so it must not be reported as an ended session.
 */
import { CredentialProblem } from '../credentials/errors.js';
import { shellQuote } from '../credentials/fix-commands.js';

const FORBIDDEN = /\bForbiddenException\b/;

export function ssoRoleProblem(error: unknown, profile: string): CredentialProblem | undefined {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; message?: string };
  if (!FORBIDDEN.test(`${e.name ?? ''} ${e.message ?? ''}`)) return undefined;
  return new CredentialProblem(
    'PROFILE_FAILED',
    `Profile ${profile} (sso): IAM Identity Center refused its role (ForbiddenException): the role in sso_role_name is no longer assigned to you in sso_account_id, or one of them is misspelled.`,
    `Check both in the AWS access portal, ask an administrator to assign the role again, or pick another: aws configure sso --profile ${shellQuote(profile)}`,
  );
}
