import type { CredentialErrorKind } from './credential-error-kind.js';

export interface CredentialErrorRule {
  kind: CredentialErrorKind;
  pattern: RegExp;
  /** Where the message family comes from, so a reader can check it against the real source. */
  source: string;
}

/**
 * An AWS error code used as a name, not as part of an identifier, path, list or sentence:
 * `ExpiredToken: ...`, `(ExpiredToken)`, `Error Code: ExpiredToken;`, `-> ExpiredToken:`,
 * `"name":"ExpiredToken"`, `Code: 'ExpiredToken',`, `botocore.errorfactory.ExpiredTokenException:`,
 * `failed: ExpiredToken`; but not `DevStack/ExpiredTokenTable/Resource`, `isExpiredToken`,
 * `ExpiredToken.ts`, `import { ExpiredTokenException }`, `["InvalidClientTokenId"]` or prose such as
 * `errors like InvalidClientTokenId mean...`. A quoted code counts only as a value (`: "X"`, `= 'X'`);
 * after the code comes punctuation, ` (`, ` -` or the end of the line.
 */
function errorCode(...codes: string[]): RegExp {
  return new RegExp(
    `(?<![\\w$/-])(?<!(?<![:=]\\s*)["'])(?:${codes.join('|')})(?=\\s*$|[:;,)'"]|\\.(?!\\w)|\\s+[(-])`,
  );
}

/** The IAM Identity Center services behind an SSO profile, as SDKs and CLIs name them or their calls. */
const SSO_SERVICE = String.raw`\b(?:GetRoleCredentials|CreateToken|SSO ?OIDC|SsoOidc|ssooidc|AWSSSO(?:OIDC)?|services\.sso)\b`;
/** Their ways of rejecting the cached SSO token. */
const SSO_REJECTION = String.raw`\b(?:UnauthorizedException|ExpiredTokenException|InvalidGrantException|Invalid grant provided|Session token not found or invalid)\b`;

/**
 * One cheap test every line goes through first: each rule below contains at least one of these words
 * (the rules test checks it), so a line without any of them cannot be a credential error.
 */
// Plain alternatives only: a nested group here made the test measurably slower on output without any.
export const CREDENTIAL_ERROR_KEYWORDS =
  /token|credential|expired|sso|signature|access ?key|unrecognizedclient|authfailure|aws account|providers in chain|imds role|instance role|aws login|authenticate|invalidgrant|container metadata/i;

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
    // A statement that the session ended ("has expired", "is invalid", "was not found"), not advice such
    // as "if your SSO session expired, ...".
    pattern:
      /\bSSO session\b.{0,80}?\b(?:has expired|is (?:expired|invalid|otherwise invalid)|was not found)\b/i,
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
    // rejecting the cached token, however the SDK names the service or operation: botocore's
    // `(Code) when calling the Op operation`, Go's `operation error SSO OIDC: CreateToken, ...`, Java's
    // `ssooidc.model.SsoOidcException: ...`. The codes alone are generic (UnauthorizedException).
    pattern: new RegExp(`${SSO_SERVICE}.{0,200}?${SSO_REJECTION}|${SSO_REJECTION}.{0,200}?${SSO_SERVICE}`),
    source:
      'SSO and SSO OIDC service error codes (aws-sdk-js-v3 nested-clients sso, sso-oidc; Java v2 ssooidc)',
  },
  {
    kind: 'sso-expired',
    // InvalidGrantException is SSO OIDC's own code: the refresh token behind the SSO session is gone.
    pattern: errorCode('InvalidGrantException'),
    source: 'AWS SSO OIDC CreateToken InvalidGrantException',
  },
  {
    kind: 'sso-expired',
    // The SDKs' own words for a cached SSO token that is gone or stale.
    pattern:
      /\b(?:refresh )?cached SSO token (?:is expired|failed)\b|\bUnable to load SSO token\b|\bSdkClientException: Token is expired\b|\.sso\.auth\.ExpiredTokenException\b/,
    source:
      'aws-sdk-go-v2 ssocreds sso_token_provider.go ("refresh cached SSO token failed", "cached SSO token is expired, or not present, and cannot be refreshed"); aws-sdk-java-v2 SsoOidcTokenProvider ("Unable to load SSO token", "Token is expired") and SsoAccessTokenProvider (sso.auth.ExpiredTokenException)',
  },
  {
    kind: 'sso-expired',
    // Only after "Login required": the bare command also appears in help and README text.
    pattern: /\bLogin required\b.{0,80}?\baws(?:-sso-util| sso) login\b/i,
    source:
      'aws-sso-util ("Login required. Use `aws-sso-util login --profile X` or `aws sso login --profile X`")',
  },

  // ---- expired: the credentials worked once and have run out.
  {
    kind: 'expired',
    // Not RequestExpired: the SDKs treat it as clock skew, like "Signature expired" (see the look-alikes
    // in the corpus); expiry of the credentials themselves is caught by their expiration time and probes.
    pattern: errorCode(
      'ExpiredToken',
      'ExpiredTokenException',
      'AssumeRoleExpiredToken',
      'TokenRefreshRequired',
    ),
    source:
      'STS/S3 ExpiredToken, DynamoDB/Lambda/Logs ExpiredTokenException, aws-cdk-cli sdk-provider ' +
      'AuthenticationError "AssumeRoleExpiredToken", S3 TokenRefreshRequired',
  },
  {
    kind: 'expired',
    pattern: /\bsecurity token included in the request is expired\b/i,
    source: 'STS, DynamoDB, CloudWatch Logs and most JSON/query services: ExpiredToken(Exception) message',
  },
  {
    kind: 'expired',
    pattern: /\bThe provided token (?:has expired|must be refreshed)\b/i,
    source: 'S3 ExpiredToken and TokenRefreshRequired messages',
  },
  {
    kind: 'expired',
    pattern: /\bcredential_process returned expired credentials\b/i,
    source: 'aws-sdk-js-v3 credential-provider-process getValidatedProcessCredentials',
  },
  {
    kind: 'expired',
    pattern:
      /\bexpired AWS credentials\b|\b(?:AWS|retrieved) credentials (?:have|has|are) (?:already )?expired\b/i,
    source:
      'aws-cdk-cli SdkProvider.defaultAccount(): "There are expired AWS credentials in your environment. ' +
      'The CDK app will synth without current account information."; aws-sdk-net RefreshingAWSCredentials ' +
      '("The retrieved credentials have already expired")',
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
    // Sessions from `aws login` that must be renewed, in each SDK's words.
    pattern:
      /\blogin session has expired\b|\bre-?authenticate (?:with|using) '?aws login\b|\b(?:try )?running '?aws login'? again\b/i,
    source:
      'botocore LoginTokenLoadError ("Please reauthenticate with \'aws login\'", "Please try running \'aws login\' again"), ' +
      'aws-sdk-js-v3 credential-provider-login ("please re-authenticate using aws login"), aws-sdk-go-v2 logincreds ' +
      '("login session has expired, please reauthenticate")',
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
    pattern:
      /\bUnable to refresh credentials because of a change in your password\b|\blogin session password has changed\b/i,
    source:
      'aws-sdk-js-v3 credential-provider-login USER_CREDENTIALS_CHANGED, aws-sdk-go-v2 logincreds (UserCredentialsChanged)',
  },
  {
    kind: 'invalid',
    pattern: /\bcredential_process (?:returned invalid|did not return)\b/i,
    source: 'aws-sdk-js-v3 credential-provider-process (output that is not usable credentials)',
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
    // "Unable to locate credentials" (botocore), "Unable to load credentials from ..." (Java v2),
    // "Failed to load credentials from IMDS" (Java v2), "Unable to resolve credentials for the AWS SDK for
    // Python client" (SAM CLI). Not "Unable to find environment variable credentials": one provider of
    // a chain that goes on to the next.
    pattern: /\b(?:Unable|Failed) to (?:locate|load|resolve|retrieve) (?:AWS )?credentials\b/i,
    source:
      'botocore NoCredentialsError (AWS CLI, SAM CLI, boto3 apps), aws-sdk-java v1 AWSCredentialsProviderChain and ' +
      'v2 AwsCredentialsProviderChain and providers, SAM CLI NoCredentialsError wrappers',
  },
  {
    kind: 'missing',
    pattern:
      /\bError when retrieving credentials from\b|\bNo credentials available\b|\bcontained no credentials\b|\bcredentials could not be obtained\b/i,
    source:
      'botocore CredentialRetrievalError, aws-cdk-cli BaseCredentials.none(), aws-sdk-java-v2 ProfileCredentialsProvider, ' +
      'CDK v1 ("AWS credentials could not be obtained from standard locations")',
  },
  {
    kind: 'missing',
    pattern:
      /\b(?:AWS|provider) credentials (?:not found|(?:are )?missing)\b|\bAWS Credentials are required\b/i,
    source:
      'Serverless Framework AWS_CREDENTIALS_NOT_FOUND / AWS_CREDENTIALS_MISSING, SAM CLI ("AWS Credentials are required")',
  },
  {
    kind: 'missing',
    // Not `Missing credentials in config.env`: other tools print that about their own config files.
    pattern: /\bMissing credentials in config(?![\w.]\w)/i,
    source: 'aws-sdk-js v2 CredentialsError / SigningError',
  },
  {
    kind: 'missing',
    pattern:
      /\bno valid providers in chain\b|\bno valid credential sources\b|\bno EC2 (?:IMDS|instance) role found\b/i,
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
    // The container-credentials provider refusing the endpoint it was given (the supervisor's endpoint
    // delivery uses the same variables).
    pattern: /\bis not a valid container metadata service (?:hostname|protocol|URL)\b/i,
    source: 'smithy-typescript credential-provider-imds fromContainerMetadata getCmdsUri',
  },
  {
    kind: 'missing',
    // aws-sdk-go-v2's credential cache wraps every provider failure this way; the precise reasons
    // (expired SSO, expired login) are matched above.
    pattern: /\bfailed to refresh cached credentials\b|\btoken file not found, please re-?authenticate\b/i,
    source: 'aws-sdk-go-v2 aws/credential_cache.go, credentials/logincreds (no cached login token)',
  },
  {
    kind: 'missing',
    // Any other failure of an SDK v3 credential provider (profile not found, MFA callback missing,
    // container endpoint unreachable...): the child has no usable credentials. Only as an error name
    // (`CredentialsProviderError: ...`), not in stack frames (`at new CredentialsProviderError (...)`).
    // Not the chain's notes about providers it skips ("AWS_PROFILE is set, skipping fromEnv provider").
    pattern: /(?<![\w$/-])CredentialsProviderError(?=:)(?![^\n]*\bskipping\b)/i,
    source: 'aws-sdk-js-v3 / smithy CredentialsProviderError name',
  },
];
