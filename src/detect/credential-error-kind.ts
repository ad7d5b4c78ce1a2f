/**
 * What a credential-error line says about the credentials the child is using:
 * - `expired`: they worked once and have run out (ExpiredToken and friends);
 * - `invalid`: AWS rejects them outright (unknown key id, bad secret, revoked token);
 * - `missing`: the child's SDK found none at all;
 * - `sso-expired`: the SSO session behind a profile has ended; `aws sso login` fixes it.
 */
export const CREDENTIAL_ERROR_KINDS = ['expired', 'invalid', 'missing', 'sso-expired'] as const;

export type CredentialErrorKind = (typeof CREDENTIAL_ERROR_KINDS)[number];
