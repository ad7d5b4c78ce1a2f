/**
 * Errors AWS services return, as codes and messages. Every SDK renders them (see render.mjs), so each is
 * crossed with every program's shape. `kind: null` marks look-alikes: errors that mention tokens,
 * signatures or expiry but that fresh credentials would not fix. `codeIdentifies: false` (or
 * `messageIdentifies: false`) marks errors whose code (or message) alone does not say which one it is.
 */

/**
 * A service as each SDK names it: `js` (client name in the CDK trace), `go` (Go SDK v2 service id), the
 * operation, `java` (Java SDK v2 class prefix), `javaV1` (Java SDK v1 package, exception class, service
 * name), and the input the CDK trace prints.
 */
function service(js, go, op, java, [pkg, cls, name], input = '{}') {
  return { js, go, op, java, javaV1: { pkg, cls, name }, input };
}

const STS_V1 = ['securitytoken', 'AWSSecurityTokenServiceException', 'AWSSecurityTokenService'];
const STS = service('STS', 'STS', 'GetCallerIdentity', 'Sts', STS_V1);
const STS_ASSUME = service(
  'STS',
  'STS',
  'AssumeRole',
  'Sts',
  STS_V1,
  '{"RoleArn":"arn:aws:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-us-east-1","RoleSessionName":"aws-cdk-dev"}',
);
const CFN_V1 = ['cloudformation', 'AmazonCloudFormationException', 'AmazonCloudFormation'];
const CFN = service(
  'CloudFormation',
  'CloudFormation',
  'DescribeStacks',
  'CloudFormation',
  CFN_V1,
  '{"StackName":"DevStack"}',
);
const CFN_CHANGESET = service(
  'CloudFormation',
  'CloudFormation',
  'CreateChangeSet',
  'CloudFormation',
  CFN_V1,
  '{"StackName":"DevStack","ChangeSetName":"cdk-deploy-change-set"}',
);
const IAM = service(
  'IAM',
  'IAM',
  'CreateRole',
  'Iam',
  ['identitymanagement', 'AmazonIdentityManagementException', 'AmazonIdentityManagement'],
  '{"RoleName":"DevStack-HandlerRole"}',
);
const S3_V1 = ['s3', 'AmazonS3Exception', 'Amazon S3'];
const S3 = service(
  'S3',
  'S3',
  'PutObject',
  'S3',
  S3_V1,
  '{"Bucket":"cdk-hnb659fds-assets-123456789012-us-east-1","Key":"3f2a9c.zip"}',
);
const S3_LIST = service('S3', 'S3', 'ListObjectsV2', 'S3', S3_V1, '{"Bucket":"dev-uploads"}');
const DYNAMODB = service(
  'DynamoDB',
  'DynamoDB',
  'PutItem',
  'DynamoDb',
  ['dynamodbv2', 'AmazonDynamoDBException', 'AmazonDynamoDBv2'],
  '{"TableName":"Orders"}',
);
const LAMBDA = service(
  'Lambda',
  'Lambda',
  'UpdateFunctionCode',
  'Lambda',
  ['lambda', 'AWSLambdaException', 'AWSLambda'],
  '{"FunctionName":"DevStack-Handler886CB40B-x1y2z3"}',
);
const LOGS = service(
  'CloudWatchLogs',
  'CloudWatch Logs',
  'FilterLogEvents',
  'CloudWatchLogs',
  ['logs', 'AWSLogsException', 'AWSLogs'],
  '{"logGroupName":"/aws/lambda/DevStack-Handler"}',
);
const SSM = service(
  'SSM',
  'SSM',
  'GetParameter',
  'Ssm',
  ['simplesystemsmanagement', 'AWSSimpleSystemsManagementException', 'AWSSimpleSystemsManagement'],
  '{"Name":"/cdk-bootstrap/hnb659fds/version"}',
);
const EC2 = service(
  'EC2',
  'EC2',
  'DescribeVpcs',
  'Ec2',
  ['ec2', 'AmazonEC2Exception', 'AmazonEC2'],
  '{"Filters":[{"Name":"isDefault","Values":["true"]}]}',
);
const SSO = service(
  'SSO',
  'SSO',
  'GetRoleCredentials',
  'Sso',
  ['sso', 'AWSSSOException', 'AWSSSO'],
  '{"accountId":"123456789012","roleName":"AdministratorAccess"}',
);
const SSO_OIDC = service(
  'SSOOIDC',
  'SSO OIDC',
  'CreateToken',
  'SsoOidc',
  ['ssooidc', 'AWSSSOOIDCException', 'AWSSSOOIDC'],
  '{"grantType":"refresh_token"}',
);
const KINESIS = service(
  'Kinesis',
  'Kinesis',
  'GetRecords',
  'Kinesis',
  ['kinesis', 'AmazonKinesisException', 'AmazonKinesis'],
  '{"ShardIterator":"AAAAAAAAAAF"}',
);
const COGNITO = service(
  'CognitoIdentityProvider',
  'Cognito Identity Provider',
  'GetUser',
  'CognitoIdentityProvider',
  ['cognitoidp', 'AWSCognitoIdentityProviderException', 'AWSCognitoIdentityProvider'],
  '{"AccessToken":"***"}',
);

const STS_QUERY_SOURCE =
  'AWS query-protocol error (STS/CloudFormation/IAM), code and message as in hashicorp/aws-sdk-go-base servicemocks/mock.go and https://github.com/aws/aws-cdk/issues/21831';
const JSON_PROTOCOL_SOURCE =
  'AWS JSON-protocol error (DynamoDB/Lambda/CloudWatch Logs/SSM), as in https://github.com/cloud-custodian/cloud-custodian/issues/9216 and https://github.com/hashicorp/terraform-provider-aws/issues/32809';

export const SERVICE_ERRORS = [
  // expired
  {
    kind: 'expired',
    code: 'ExpiredToken',
    message: 'The security token included in the request is expired',
    services: [STS, CFN, IAM, STS_ASSUME, CFN_CHANGESET],
    source: STS_QUERY_SOURCE,
  },
  {
    kind: 'expired',
    code: 'ExpiredTokenException',
    message: 'The security token included in the request is expired',
    services: [DYNAMODB, LAMBDA, LOGS, SSM],
    source: JSON_PROTOCOL_SOURCE,
  },
  {
    kind: 'expired',
    code: 'ExpiredToken',
    message: 'The provided token has expired.',
    services: [S3, S3_LIST],
    source:
      'Amazon S3 error code list (ExpiredToken); https://github.com/aws/aws-sdk-java/issues (AmazonS3Exception) shape',
  },
  {
    kind: 'expired',
    code: 'TokenRefreshRequired',
    message: 'The provided token must be refreshed.',
    services: [S3, S3_LIST],
    source: 'Amazon S3 error code list (TokenRefreshRequired)',
  },
  // invalid
  {
    kind: 'invalid',
    code: 'InvalidClientTokenId',
    message: 'The security token included in the request is invalid.',
    services: [STS, CFN, IAM],
    source:
      'AWS query-protocol InvalidClientTokenId, as in https://github.com/hashicorp/terraform-provider-aws/issues/24197 and https://github.com/aws/aws-cdk/issues/1651',
  },
  {
    kind: 'invalid',
    code: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
    services: [DYNAMODB, LAMBDA, LOGS],
    source: 'AWS JSON-protocol UnrecognizedClientException (DynamoDB, Lambda, CloudWatch Logs)',
  },
  {
    kind: 'invalid',
    code: 'InvalidAccessKeyId',
    message: 'The AWS Access Key Id you provided does not exist in our records.',
    services: [S3, S3_LIST],
    source: 'Amazon S3 error code list (InvalidAccessKeyId)',
  },
  {
    kind: 'invalid',
    code: 'InvalidToken',
    message: 'The provided token is malformed or otherwise invalid.',
    services: [S3],
    source: 'Amazon S3 error code list (InvalidToken)',
  },
  {
    kind: 'invalid',
    code: 'AuthFailure',
    message: 'AWS was not able to validate the provided access credentials',
    services: [EC2],
    source: 'Amazon EC2 error codes (AuthFailure)',
  },
  {
    kind: 'invalid',
    code: 'SignatureDoesNotMatch',
    codeIdentifies: false,
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    services: [S3, STS],
    source:
      'Amazon S3 / STS SignatureDoesNotMatch (wrong secret key); https://github.com/mhart/aws4fetch/issues/73',
  },
  {
    kind: 'invalid',
    code: 'InvalidSignatureException',
    codeIdentifies: false,
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    services: [DYNAMODB, LAMBDA],
    source: 'AWS JSON-protocol InvalidSignatureException (wrong secret key)',
  },
  // sso-expired: the IAM Identity Center portal and OIDC services rejecting the cached SSO token
  {
    kind: 'sso-expired',
    code: 'UnauthorizedException',
    codeIdentifies: false,
    message: 'Session token not found or invalid',
    services: [SSO],
    source:
      'AWS IAM Identity Center portal API GetRoleCredentials UnauthorizedException (aws-sdk-js-v3 nested-clients sso)',
  },
  {
    kind: 'sso-expired',
    code: 'InvalidGrantException',
    message: 'Invalid grant provided',
    messageIdentifies: false,
    services: [SSO_OIDC],
    source:
      'AWS SSO OIDC CreateToken InvalidGrantException (refresh token expired), as in aws-sdk-go-v2 ssocreds refresh failures quoted by Terraform users',
  },

  // look-alikes: clock skew, permissions, other tokens
  {
    kind: null,
    category: 'clock-skew',
    code: 'SignatureDoesNotMatch',
    codeIdentifies: false,
    message:
      'Signature expired: 20261102T100000Z is now earlier than 20261102T100600Z (20261102T101100Z - 5 min.)',
    services: [STS, S3],
    source:
      'SigV4 clock-skew rejection, as in https://github.com/convox/rack/issues/235 and https://github.com/aws/aws-sdk-js/issues/401',
  },
  {
    kind: null,
    category: 'clock-skew',
    code: 'InvalidSignatureException',
    codeIdentifies: false,
    message:
      'Signature expired: 20261102T100000Z is now earlier than 20261102T100600Z (20261102T101100Z - 5 min.)',
    services: [DYNAMODB, LAMBDA],
    source: 'SigV4 clock-skew rejection (JSON protocol), as in https://github.com/aws/aws-sdk-js/issues/527',
  },
  {
    kind: null,
    category: 'clock-skew',
    code: 'InvalidSignatureException',
    codeIdentifies: false,
    message:
      'Signature not yet current: 20261102T101500Z is still later than 20261102T101000Z (20261102T100500Z + 5 min.)',
    services: [LOGS],
    source: 'SigV4 clock-skew rejection (client clock ahead)',
  },
  {
    // Documented decision (issue 14 item 13): RequestExpired is a request-timing error; the SDKs retry it as
    // clock skew. It can also follow expired temporary credentials, but the expiration time and the STS
    // probe catch those; a line alone does not.
    kind: null,
    category: 'clock-skew',
    code: 'RequestExpired',
    message: 'Request has expired.',
    services: [EC2],
    source:
      'Amazon EC2 error codes (RequestExpired); listed as a clock-skew code by aws-sdk-js-v3 and botocore retry handlers',
  },
  {
    kind: null,
    category: 'clock-skew',
    code: 'RequestTimeTooSkewed',
    message: 'The difference between the request time and the current time is too large.',
    services: [S3],
    source: 'Amazon S3 error code list (RequestTimeTooSkewed)',
  },
  {
    kind: null,
    category: 'configuration',
    code: 'SignatureDoesNotMatch',
    codeIdentifies: false,
    message: 'Credential should be scoped to a valid region.',
    services: [STS],
    source: 'SigV4 credential scope with a wrong region (configuration, not credentials)',
  },
  {
    kind: null,
    category: 'configuration',
    code: 'InvalidSignatureException',
    codeIdentifies: false,
    message: "Credential should be scoped to correct service: 'lambda'.",
    services: [LAMBDA],
    source: 'SigV4 credential scope with a wrong service name (configuration, not credentials)',
  },
  {
    kind: null,
    category: 'access-denied-not-expiry',
    code: 'AccessDenied',
    message:
      'User: arn:aws:sts::123456789012:assumed-role/Dev/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Admin',
    services: [STS_ASSUME],
    source: 'STS AccessDenied (policy, not expiry)',
  },
  {
    kind: null,
    category: 'access-denied-not-expiry',
    code: 'AccessDenied',
    message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ',
    services: [STS_ASSUME],
    source: 'STS AccessDenied for a mistyped MFA code (aws-vault / botocore assume-role prompts)',
  },
  {
    kind: null,
    category: 'access-denied-not-expiry',
    code: 'AccessDenied',
    message: 'Cannot call GetSessionToken with session credentials',
    services: [STS],
    source: 'STS AccessDenied for GetSessionToken with temporary credentials',
  },
  {
    kind: null,
    category: 'other-token',
    code: 'ExpiredIteratorException',
    message:
      'Iterator expired. The iterator was created at time Mon Nov 02 10:00:00 UTC 2026 while right now it is Mon Nov 02 10:06:00 UTC 2026 which is further in the future than the tolerated delay of 300000 milliseconds.',
    services: [KINESIS],
    source: 'Kinesis ExpiredIteratorException (a shard iterator, not credentials)',
  },
  {
    kind: null,
    category: 'other-token',
    code: 'NotAuthorizedException',
    message: 'Access Token has expired',
    services: [COGNITO],
    source: 'Cognito user pool NotAuthorizedException (an app user token)',
  },
  {
    kind: null,
    category: 'other-token',
    code: 'InvalidNextTokenException',
    message: 'The provided NextToken is expired.',
    services: [LOGS],
    source: 'pagination token expiry (CloudWatch Logs and others)',
  },
  {
    kind: null,
    category: 'other-token',
    code: 'AccessDenied',
    message: 'Request has expired',
    services: [S3],
    source: 'Amazon S3 presigned URL past its X-Amz-Expires (the URL, not the credentials of the caller)',
  },
];
