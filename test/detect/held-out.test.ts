import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CredentialErrorKind } from '../../src/detect/credential-error-kind.js';
import {
  CREDENTIAL_ERROR_KEYWORDS,
  CREDENTIAL_ERROR_RULES,
} from '../../src/detect/credential-error-rules.js';
import { detectCredentialError, findCredentialErrorRule } from '../../src/detect/detect-credential-error.js';
import { EXAMINED_END_LENGTH } from '../../src/detect/examined-text.js';

// Lines that are NOT in the corpus: real message shapes from the SDK/CLI sources, wrapped the way real
// output wraps them (timestamps, CDK's `[SDK error]` trace, `❌`, loggers, JSON logs, other SDKs), to
// show that the rules follow message families rather than the corpus file.
const ESC = '\u001b';
const UUID = '6f1c2f9e-3b7a-4d2e-9c1a-0b8e7d6c5a4f';

const heldOut: ReadonlyArray<readonly [CredentialErrorKind, string]> = [
  // expired
  [
    'expired',
    '[12:00:01] [SDK error] CloudFormation.DescribeStacks({"StackName":"DevStack"}) -> ExpiredToken: The security token included in the request is expired',
  ],
  [
    'expired',
    '[SDK error] [3 attempts, 350ms retry] S3.PutObject({"Bucket":"cdk-hnb659fds-assets-123456789012-us-east-1","Key":"a.zip"}) -> ExpiredToken: The provided token has expired.',
  ],
  ['expired', '❌  DevStack failed: ExpiredToken: The security token included in the request is expired'],
  [
    'expired',
    'Unable to determine the default AWS account (ExpiredToken): The security token included in the request is expired',
  ],
  [
    'expired',
    'botocore.errorfactory.ExpiredTokenException: An error occurred (ExpiredTokenException) when calling the PutItem operation: The security token included in the request is expired',
  ],
  [
    'expired',
    'An error occurred (ExpiredTokenException) when calling the FilterLogEvents operation: The security token included in the request is expired',
  ],
  [
    'expired',
    'operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 8f2c4a1e-0d6b-4c55-9d0e-2b1f3a4c5d6e, api error ExpiredToken: The security token included in the request is expired',
  ],
  [
    'expired',
    'software.amazon.awssdk.services.s3.model.S3Exception: The provided token has expired. (Service: S3, Status Code: 400, Request ID: 7Q2W3E4R5T6Y7U8I)',
  ],
  [
    'expired',
    '2024-05-01 10:00:00,123 ERROR [main] Error Code: ExpiredToken; Request ID: 1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d; Proxy: null',
  ],
  [
    'expired',
    '{"level":50,"time":1714550400000,"pid":4242,"hostname":"dev","err":{"type":"ExpiredToken","message":"The security token included in the request is expired","$metadata":{"httpStatusCode":400,"requestId":"5d1f2e3a-4b5c-6d7e-8f9a-0b1c2d3e4f5a"}},"msg":"sync failed"}',
  ],
  ['expired', "  Code: 'ExpiredToken',"],
  [
    'expired',
    'An error occurred (TokenRefreshRequired) when calling the GetObject operation: The provided token must be refreshed.',
  ],
  ['expired', 'Profile sandbox-admin credential_process returned expired credentials.'],
  ['expired', 'RuntimeError: Credentials were refreshed, but the refreshed credentials are still expired.'],
  [
    'expired',
    'botocore.exceptions.RefreshWithMFAUnsupportedError: Cannot refresh credentials: MFA token required.',
  ],
  [
    'expired',
    `${ESC}[33m[WARNING]${ESC}[39m There are expired AWS credentials in your environment. The CDK app will synth without current account information.`,
  ],
  ['expired', 'Error: Your session has expired. Please reauthenticate.\r'],
  // invalid
  [
    'invalid',
    '[SDK error] STS.GetCallerIdentity({}) -> InvalidClientTokenId: The security token included in the request is invalid.',
  ],
  [
    'invalid',
    'com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException: The security token included in the request is invalid. (Service: AWSSecurityTokenService; Status Code: 403; Error Code: InvalidClientTokenId; Request ID: 1a2b3c4d)',
  ],
  [
    'invalid',
    'ERROR:root:An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.',
  ],
  ['invalid', 'UnrecognizedClientException: The security token included in the request is invalid.'],
  [
    'invalid',
    'software.amazon.awssdk.services.sts.model.StsException: The security token included in the request is invalid. (Service: Sts, Status Code: 403, Request ID: 9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d)',
  ],
  [
    'invalid',
    'software.amazon.awssdk.services.s3.model.S3Exception: The AWS Access Key Id you provided does not exist in our records. (Service: S3, Status Code: 403, Request ID: 4QWERTY12345)',
  ],
  [
    'invalid',
    'software.amazon.awssdk.services.ec2.model.Ec2Exception: AWS was not able to validate the provided access credentials (Service: Ec2, Status Code: 401, Request ID: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0)',
  ],
  [
    'invalid',
    'An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials',
  ],
  [
    'invalid',
    '{"level":"error","message":"upload failed","error":"InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records."}',
  ],
  [
    'invalid',
    'An error occurred (InvalidToken) when calling the PutObject operation: The provided token is malformed or otherwise invalid.',
  ],
  [
    'invalid',
    'InvalidSignatureException: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  ],
  [
    'invalid',
    'CredentialsProviderError: HTTP credential provider response not of the required format, an object matching: { AccessKeyId: string, SecretAccessKey: string, Token: string, Expiration: string(rfc3339) }',
  ],
  // missing
  ['missing', 'CredentialsProviderError: Could not load credentials from any providers'],
  [
    'missing',
    `${ESC}[31m❌ Deployment failed: Error: Unable to resolve AWS account to use. It must be either configured when you define your CDK Stack, or through the environment${ESC}[39m`,
  ],
  [
    'missing',
    'Need to perform AWS calls for account 123456789012, but no credentials have been configured, and none of these plugins found any: cdk-assume-role-credential-plugin',
  ],
  [
    'missing',
    '2024-05-01 10:00:00,123 ERROR botocore.exceptions.NoCredentialsError: Unable to locate credentials',
  ],
  ['missing', 'Error: Failed to create managed resources: Unable to locate credentials'],
  [
    'missing',
    'CredentialsError: Missing credentials in config, if using AWS_CONFIG_FILE, set AWS_SDK_LOAD_CONFIG=1',
  ],
  [
    'missing',
    'software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider()])',
  ],
  [
    'missing',
    'com.amazonaws.SdkClientException: Unable to load AWS credentials from any provider in the chain',
  ],
  ['missing', 'NoCredentialProviders: no valid providers in chain. Deprecated.'],
  [
    'missing',
    'Error: configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found.',
  ],
  [
    'missing',
    'failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata',
  ],
  ['missing', 'Partial credentials found in shared-credentials-file, missing: aws_secret_access_key'],
  ['missing', '{"level":"error","code":"NoCredentialProviders","msg":"could not list buckets"}'],
  [
    'missing',
    'CredentialsProviderError: Profile dev requires multi-factor authentication, but no MFA code callback was provided.',
  ],
  // sso-expired
  [
    'sso-expired',
    "CredentialsProviderError: Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
  ],
  [
    'sso-expired',
    "TokenProviderError: The SSO session token associated with profile=dev was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
  ],
  [
    'sso-expired',
    "Value not present for 'accessToken' in SSO Token. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
  ],
  [
    'sso-expired',
    'botocore.exceptions.UnauthorizedSSOTokenError: The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
  ],
  ['sso-expired', 'SSOProviderInvalidToken: the SSO session has expired or is invalid'],
  [
    'sso-expired',
    '{"level":"error","err":{"type":"UnauthorizedSSOTokenError"},"msg":"could not get credentials"}',
  ],
  ['sso-expired', 'deploy.sh: aws sts get-caller-identity failed (Token has expired and refresh failed)'],
  [
    'sso-expired',
    'Error loading SSO Token: The SSO access token has either expired or is otherwise invalid.',
  ],
  [
    'sso-expired',
    'operation error SSO OIDC: CreateToken, https response error StatusCode: 400, RequestID: 0e1d2c3b-4a59-6877-8695-a4b3c2d1e0f9, InvalidGrantException: ',
  ],
  [
    'sso-expired',
    '[SDK error] SSO.GetRoleCredentials({"accountId":"123456789012","roleName":"Dev"}) -> UnauthorizedException: Session token not found or invalid',
  ],
  ['sso-expired', `${ESC}[1mLogin required.${ESC}[22m Run aws sso login --profile dev and try again.`],
];

const lookAlikes: readonly string[] = [
  // access denied and wrong account: fresh credentials for the same principal do not help
  'An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Admin',
  'An error occurred (UnauthorizedOperation) when calling the DescribeInstances operation: You are not authorized to perform this operation.',
  "Unable to refresh credentials due to insufficient permissions. You may be missing permission for the 'signin:CreateOAuth2Token' action.",
  // clock and request problems, not credentials
  'SignatureDoesNotMatch: Signature expired: 20240501T100000Z is now earlier than 20240501T100600Z (20240501T101100Z - 5 min.)',
  'InvalidSignatureException: Signature not yet current: 20240501T101500Z is still later than 20240501T101000Z (20240501T100500Z + 5 min.)',
  'An error occurred (RequestTimeTooSkewed) when calling the ListBuckets operation: The difference between the request time and the current time is too large.',
  'SignatureDoesNotMatch: Credential should be scoped to a valid region.',
  '<Error><Code>AccessDenied</Code><Message>Request has expired</Message><Expires>2024-05-01T10:00:00Z</Expires></Error>',
  // RequestExpired is retried as clock skew by the SDKs (issue 14 item 13): not a credential error
  'An error occurred (RequestExpired) when calling the DescribeInstances operation: Request has expired.',
  // other tokens that expire: JWT, OAuth, Cognito, pagination, Kinesis iterators, ECR logins, TLS
  'NotAuthorizedException: Access Token has expired',
  'NotAuthorizedException: Invalid login token. Token expired: 1714550400 >= 1714550300',
  'InvalidNextTokenException: The provided NextToken is expired.',
  'ExpiredIteratorException: Iterator expired. The iterator was created at time Wed May 01 10:00:00 UTC 2024',
  'The SSL certificate of the server has expired. This could be a security risk.',
  'JsonWebTokenError: invalid token',
  'Token refresh scheduled in 300s',
  'refresh token expired for user 42, redirecting to /login',
  'Missing Authentication Token',
  // other tools' "missing credentials" about their own config files
  '[ERROR] Missing credentials in config.yaml',
  'ConfigError: Missing region in config',
  // normal credential chatter
  'Found credentials in shared credentials file: ~/.aws/credentials',
  '@smithy/property-provider -> Unable to find environment variable credentials.',
  'Loaded credentials from the container credentials endpoint; they expire at 2024-05-01T11:00:00Z',
  // credential errors of somebody else's principal: relayed Lambda logs, stack events, stack frames
  `[${ESC}[34m/aws/lambda/DevStack-Fn-1A2B3C${ESC}[39m] ${ESC}[33m10:00:00${ESC}[39m An error occurred (ExpiredToken) when calling the AssumeRole operation: The security token included in the request is expired`,
  '[/aws/lambda/DevStack-Api-9Z8Y] 10:00:00 AM CredentialsProviderError: Could not load credentials from any providers',
  '2024-05-01T10:00:00.123000+00:00 2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef UnrecognizedClientException: The security token included in the request is invalid.',
  `2024-05-01T10:00:00.123Z\t${UUID}\tERROR\tInvoke Error \t{"errorType":"ExpiredTokenException","errorMessage":"The security token included in the request is expired"}`,
  `[ERROR]\t2024-05-01T10:00:00.123Z\t${UUID}\tAn error occurred (ExpiredTokenException) when calling the PutItem operation: The security token included in the request is expired`,
  `{"timestamp":"2024-05-01T10:00:00.123Z","level":"ERROR","requestId":"${UUID}","message":"UnrecognizedClientException: The security token included in the request is invalid."}`,
  `{"level":"ERROR","message":"ExpiredTokenException: The security token included in the request is expired","function_name":"Fn","function_request_id":"${UUID}"}`,
  'DevStack | 2/5 | 10:00:00 AM | CREATE_FAILED        | AWS::IAM::Role | Role (Role1ABCD) Resource handler returned message: "The security token included in the request is expired"',
  '❌  DevStack failed: ToolkitError: The stack named DevStack failed to deploy: UPDATE_ROLLBACK_COMPLETE: The security token included in the request is invalid',
  '    at resolveSSOCredentials (file:///app/node_modules/@aws-sdk/credential-provider-sso/dist-es/resolveSSOCredentials.js:20:15)',
  '    at new CredentialsProviderError (/app/node_modules/@smithy/property-provider/dist-cjs/index.js:84:5)',
  '\tat com.amazonaws.auth.AWSCredentialsProviderChain.getCredentials(AWSCredentialsProviderChain.java:136)',
  '  File "/usr/lib/python3/site-packages/botocore/credentials.py", line 2105, in _get_credentials',
  // identifiers that contain a code
  'DevStack/ExpiredTokenTable/Resource',
  "const isExpiredTokenError = (err) => err.name.startsWith('Expired');",
  'src/errors/ExpiredToken.ts: 3 tests passed',
];

describe('held-out credential errors (not in the corpus)', () => {
  const corpus = readFileSync(new URL('../fixtures/credential-errors.jsonl', import.meta.url), 'utf8');

  it.each(heldOut)('%s: %s', (kind, line) => {
    expect(corpus).not.toContain(JSON.stringify(line).slice(1, -1));
    expect(detectCredentialError(line)).toBe(kind);
  });
});

describe('held-out look-alikes', () => {
  it.each(lookAlikes)('null: %s', (line) => {
    expect(detectCredentialError(line)).toBeNull();
  });
});

describe('rules', () => {
  const corpusLines = (path: string) =>
    readFileSync(new URL(path, import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { text: string }).text);
  const allLines = [
    ...heldOut.map(([, line]) => line),
    ...corpusLines('../fixtures/credential-errors.jsonl'),
    ...corpusLines('../corpus/credential-errors.jsonl'),
  ];

  it.each(CREDENTIAL_ERROR_RULES.map((rule) => [rule.kind, rule.pattern.source.slice(0, 70), rule] as const))(
    'every rule decides at least one tested line (%s %s)',
    (_kind, _pattern, rule) => {
      expect(allLines.some((line) => findCredentialErrorRule(line) === rule)).toBe(true);
    },
  );

  it('every line a rule matches passes the keyword pre-filter, so the pre-filter never hides a rule', () => {
    for (const line of allLines) {
      for (const rule of CREDENTIAL_ERROR_RULES) {
        if (rule.pattern.test(line)) expect(CREDENTIAL_ERROR_KEYWORDS.test(line), line).toBe(true);
      }
    }
  });

  it('every rule names its source', () => {
    for (const rule of CREDENTIAL_ERROR_RULES) expect(rule.source.length).toBeGreaterThan(10);
  });
});

describe('very long lines', () => {
  it('finds the error at the end of a 5 MB CDK trace line, whose middle is a template', () => {
    const template = JSON.stringify({
      Resources: { Big: { Properties: { Code: 'x'.repeat(5 * 1024 * 1024) } } },
    });
    const line = `[SDK error] CloudFormation.CreateChangeSet(${template}) -> ExpiredToken: The security token included in the request is expired`;
    expect(detectCredentialError(line)).toBe('expired');
  });

  it('keeps a relayed Lambda log line silent even when its error sits 5 MB after the prefix', () => {
    const line = `[/aws/lambda/Fn] 10:00:00 AM ${'y'.repeat(5 * 1024 * 1024)} ExpiredTokenException: The security token included in the request is expired`;
    expect(detectCredentialError(line)).toBeNull();
  });

  it('does not join the two examined ends into a match that is in neither', () => {
    // The head ends with the first half of a message and the tail starts with the second half:
    // only a seam that no rule can cross keeps this silent.
    const firstHalf = ' The security token included in the request is';
    const secondHalf = 'expired ';
    const head = 'a'.repeat(EXAMINED_END_LENGTH - firstHalf.length) + firstHalf;
    const tail = secondHalf + 'b'.repeat(EXAMINED_END_LENGTH - secondHalf.length);
    expect(detectCredentialError(`${firstHalf} ${secondHalf}`)).toBe('expired');
    expect(detectCredentialError(`${head}${' c'.repeat(2 * 1024 * 1024)} ${tail}`)).toBeNull();
  });
});

describe('input that is not a string', () => {
  it.each([undefined, null, 42, {}, Buffer.from('ExpiredToken: x')])('returns null for %o', (value) => {
    expect(detectCredentialError(value as unknown as string)).toBeNull();
  });
});
