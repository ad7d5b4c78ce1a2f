import type { CredentialErrorKind } from './credential-error-kind.js';

export interface CredentialErrorRule {
  kind: CredentialErrorKind;
  pattern: RegExp;
  /** Where the message family comes from, so a reader can check it against the real source. */
  source: string;
}

/**
 * An AWS error code used as a name, not as part of an identifier, path or file name:
 * `ExpiredToken: ...`, `(ExpiredToken)`, `Error Code: ExpiredToken;`, `-> ExpiredToken:`,
 * `"name":"ExpiredToken"`, `botocore.errorfactory.ExpiredTokenException:`; but not
 * `DevStack/ExpiredTokenTable/Resource`, `isExpiredToken` or `ExpiredToken.ts`.
 */
function errorCode(...codes: string[]): RegExp {
  return new RegExp(`(?<![\\w$/-])(?:${codes.join('|')})(?![\\w/-]|\\.\\w)`);
}

/**
 * One cheap test every line goes through first: each rule below contains at least one of these words
 * (the rules test checks it), so a line without any of them cannot be a credential error.
 */
export const CREDENTIAL_ERROR_KEYWORDS =
  /token|credential|expired|sso|signature|access ?key|unrecognizedclient|authfailure|aws account|providers in chain|imds role/i;

/**
 * The message families, most specific kind first: the first rule that matches decides. SSO comes first
 * because SSO failures are reported through generic wrappers (`CredentialsProviderError: The SSO
 * session ... has expired`), and `missing` comes last because its generic wrappers would otherwise
 * shadow the precise reason.
 */
export const CREDENTIAL_ERROR_RULES: readonly CredentialErrorRule[] = [
  // ---- sso-expired: the SSO session behind a profile ended; `aws sso login` is the fix.
  {
    kind: 'sso-expired',
    pattern: /\bSSO session\b.{0,80}?\b(?:expired|invalid|not found)\b/i,
    source:
      'aws-sdk-js-v3 credential-provider-sso resolveSSOCredentials ("The SSO session associated with this ' +
      'profile has expired / is invalid"), token-providers fromSso ("The SSO session token associated with ' +
      'profile=X was not found or is invalid"), botocore UnauthorizedSSOTokenError ("... has expired or is ' +
      'otherwise invalid"), aws-sdk-go(-v2) ssocreds ("the SSO session has expired or is invalid")',
  },
  {
    kind: 'sso-expired',
    pattern: /\bTo refresh this SSO session\b/i,
    source:
      'aws-sdk-js-v3 token-providers REFRESH_MESSAGE, appended to every SSO token failure ("Token is expired. To refresh this SSO session run \'aws sso login\' ...", "Value not present for \'accessToken\' in SSO Token ...")',
  },
  {
    kind: 'sso-expired',
    pattern: /\bError (?:loading SSO Token|when retrieving token from sso)\b/i,
    source:
      'botocore SSOTokenLoadError ("Error loading SSO Token: ...") and TokenRetrievalError(provider="sso")',
  },
  {
    kind: 'sso-expired',
    // Case-sensitive on purpose: botocore's sentence starts with a capital T; "access token has expired
    // and refresh failed" in an OAuth app is not this.
    pattern: /(?:^|[\s:('"[])Token has expired and refresh failed/,
    source: 'botocore tokens.py SSOTokenProvider (AWS CLI v2 "Error when retrieving token from sso: ...")',
  },
  {
    kind: 'sso-expired',
    pattern: /\bSession token not found or invalid\b/i,
    source: 'AWS IAM Identity Center portal API GetRoleCredentials UnauthorizedException',
  },
  {
    kind: 'sso-expired',
    pattern: errorCode('UnauthorizedSSOTokenError', 'SSOTokenLoadError', 'SSOProviderInvalidToken'),
    source: 'botocore SSO exception names; aws-sdk-go ssocreds error code',
  },
  {
    kind: 'sso-expired',
    // The SSO portal (GetRoleCredentials) and SSO OIDC (CreateToken, used to refresh the SSO token)
    // rejecting the cached token, in botocore's `(Code) when calling the Op operation` and Go's
    // `operation error SSO OIDC: CreateToken, ... InvalidGrantException` shapes.
    pattern:
      /\b(?:GetRoleCredentials|CreateToken)\b.{0,200}?\b(?:UnauthorizedException|ExpiredTokenException|InvalidGrantException)\b|\b(?:UnauthorizedException|ExpiredTokenException|InvalidGrantException)\b.{0,200}?\b(?:GetRoleCredentials|CreateToken) operation\b/,
    source: 'SSO and SSO OIDC service error codes (aws-sdk-js-v3 nested-clients sso, sso-oidc)',
  },
  {
    kind: 'sso-expired',
    // Not `aws login`: that is the console-login provider, whose failures are `expired` above.
    pattern: /\baws sso login\b|\baws-sso-util login\b/i,
    source:
      'tools that tell the person to log in again: aws-sdk refresh messages ("run aws sso login"), ' +
      'aws-sso-util ("Login required. Use `aws-sso-util login --profile X` or `aws sso login --profile X`")',
  },

  // ---- expired: the credentials worked once and have run out.
  {
    kind: 'expired',
    // RequestExpired: EC2 reports expired temporary credentials with it (aws-sdk-go#253 treats it as
    // expiry, aws-sdk-ruby#143 shows it on instance-role credentials); it also means clock skew, but
    // SDKs retry clock skew with a corrected clock first, so a printed one is worth a credential check.
    pattern: errorCode(
      'ExpiredToken',
      'ExpiredTokenException',
      'AssumeRoleExpiredToken',
      'TokenRefreshRequired',
      'RequestExpired',
    ),
    source:
      'STS/S3 ExpiredToken, DynamoDB/Lambda/Logs ExpiredTokenException, aws-cdk-cli sdk-provider ' +
      'AuthenticationError "AssumeRoleExpiredToken", S3 TokenRefreshRequired, EC2 RequestExpired',
  },
  {
    kind: 'expired',
    pattern: /\bsecurity token included in the request is expired\b/i,
    source: 'STS, DynamoDB, CloudWatch Logs and most JSON/query services: ExpiredToken(Exception) message',
  },
  {
    kind: 'expired',
    pattern: /\bThe provided token has expired\b/i,
    source: 'S3 ExpiredToken message',
  },
  {
    kind: 'expired',
    pattern: /\bcredential_process returned expired credentials\b/i,
    source: 'aws-sdk-js-v3 credential-provider-process getValidatedProcessCredentials',
  },
  {
    kind: 'expired',
    pattern: /\bexpired AWS credentials\b|\bAWS credentials (?:have|has|are) expired\b/i,
    source:
      'aws-cdk-cli SdkProvider.defaultAccount(): "There are expired AWS credentials in your environment. ' +
      'The CDK app will synth without current account information."',
  },
  {
    kind: 'expired',
    pattern: /\bYour session has expired\b.{0,80}?\breauthenticate\b/i,
    source:
      'aws-sdk-js-v3 credential-provider-login TOKEN_EXPIRED ("Your session has expired. Please ' +
      'reauthenticate."), botocore LoginRefreshRequired (`aws login` profiles)',
  },
  {
    kind: 'expired',
    pattern: /\bCannot refresh credentials: MFA token required\b/i,
    source:
      'botocore RefreshWithMFAUnsupportedError: assume-role credentials ran out and need a new MFA code',
  },
  {
    kind: 'expired',
    pattern: /\brefreshed credentials are still expired\b/i,
    source:
      'botocore RefreshableCredentials ("Credentials were refreshed, but the refreshed credentials are still expired.")',
  },

  // ---- invalid: AWS rejects the credentials outright.
  {
    kind: 'invalid',
    pattern: errorCode(
      'InvalidClientTokenId',
      'UnrecognizedClientException',
      'AuthFailure',
      'InvalidAccessKeyId',
    ),
    source:
      'STS InvalidClientTokenId, DynamoDB/Lambda UnrecognizedClientException, EC2 AuthFailure, S3 InvalidAccessKeyId',
  },
  {
    kind: 'invalid',
    pattern: /\bsecurity token included in the request is invalid\b/i,
    source: 'STS InvalidClientTokenId and UnrecognizedClientException message',
  },
  {
    kind: 'invalid',
    pattern: /\bThe provided token is malformed or otherwise invalid\b/i,
    source: 'S3 InvalidToken message',
  },
  {
    kind: 'invalid',
    pattern: /\bAWS Access Key Id you provided does not exist in our records\b/i,
    source: 'S3 InvalidAccessKeyId message',
  },
  {
    kind: 'invalid',
    pattern: /\bnot able to validate the provided access credentials\b/i,
    source: 'EC2 AuthFailure message',
  },
  {
    kind: 'invalid',
    // Only the wrong-secret form of SignatureDoesNotMatch / InvalidSignatureException. Its other forms
    // ("Signature expired: ... is now earlier than ...", "Credential should be scoped to a valid region")
    // are clock or configuration problems that fresh credentials do not fix.
    pattern:
      /\brequest signature we calculated does not match the signature you provided\b|\bCheck your AWS Secret Access Key\b/i,
    source:
      'SignatureDoesNotMatch (S3, query services) and InvalidSignatureException (JSON services) message',
  },
  {
    kind: 'invalid',
    pattern: /\bHTTP credential provider response not of the required format\b/i,
    source:
      'aws-sdk-js-v3 credential-provider-http: the container-credentials endpoint answered something unusable',
  },
  {
    kind: 'invalid',
    pattern: /\bUnable to refresh credentials because of a change in your password\b/i,
    source: 'aws-sdk-js-v3 credential-provider-login USER_CREDENTIALS_CHANGED',
  },

  // ---- missing: the child's SDK found no credentials at all.
  {
    kind: 'missing',
    pattern: /\bCould not load credentials from any providers\b/i,
    source:
      'aws-sdk-js-v3 credential-provider-node default chain (also aws-actions/configure-aws-credentials)',
  },
  {
    kind: 'missing',
    pattern: /\bUnable to locate credentials\b/i,
    source: 'botocore NoCredentialsError (AWS CLI, SAM CLI, boto3 apps)',
  },
  {
    kind: 'missing',
    // Not `Missing credentials in config.env`: other tools print that about their own config files.
    pattern: /\bMissing credentials in config(?![\w.]\w)/i,
    source: 'aws-sdk-js v2 CredentialsError / SigningError',
  },
  {
    kind: 'missing',
    pattern: /\bUnable to load (?:AWS )?credentials from any (?:of the )?providers? in the chain\b/i,
    source: 'aws-sdk-java v1 AWSCredentialsProviderChain, v2 AwsCredentialsProviderChain',
  },
  {
    kind: 'missing',
    pattern: /\bno valid providers in chain\b|\bno valid credential sources\b|\bno EC2 IMDS role found\b/i,
    source: 'aws-sdk-go NoCredentialProviders, Terraform AWS provider, aws-sdk-go-v2 default chain',
  },
  {
    kind: 'missing',
    pattern: /\bbut no credentials have been configured\b|\bUnable to resolve AWS account to use\b/i,
    source:
      'aws-cdk-cli sdk-provider fmtObtainCredentialsError (source "none") and resolveEnvironment ' +
      '"UnresolvedAccount"; CDK prints these when credentials are missing or the SSO session is gone',
  },
  {
    kind: 'missing',
    pattern: /\bPartial credentials found in \S+, missing:/i,
    source: 'botocore PartialCredentialsError',
  },
  {
    kind: 'missing',
    pattern: errorCode('NoCredentials', 'NoCredentialProviders', 'CredentialsError'),
    source: 'AWS CLI v2 enhanced error format "(NoCredentials)", aws-sdk-go, aws-sdk-js v2 error codes',
  },
  {
    kind: 'missing',
    // Any other failure of an SDK v3 credential provider (profile not found, MFA callback missing,
    // container endpoint unreachable...): the child has no usable credentials. Only as an error name
    // (`CredentialsProviderError: ...`), not in stack frames (`at new CredentialsProviderError (...)`).
    pattern: /(?<![\w$/-])CredentialsProviderError(?=:)/,
    source: 'aws-sdk-js-v3 / smithy CredentialsProviderError name',
  },
];
