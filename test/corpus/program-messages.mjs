/**
 * Messages the programs themselves print (SDK credential providers, CLIs), as the person sees them, each
 * with where it comes from. `kind: null` marks look-alikes. Every entry of `lines` is one corpus item;
 * message strings are quoted from the named sources, the surrounding values (profiles, accounts, ids)
 * are made up.
 */

const CLI_DEFAULT_CHAIN =
  'AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider(), ProfileCredentialsProvider(profileName=default, profileFile=ProfileFile(sections=[])), ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()])';

export const PROGRAM_MESSAGES = [
  // ---------------------------------------------------------------- botocore: AWS CLI, SAM CLI, boto3 apps
  {
    kind: 'missing',
    program: 'botocore',
    source:
      'boto/botocore botocore/exceptions.py NoCredentialsError; awscli/clidriver.py adds the aws configure hint',
    lines: [
      'botocore.exceptions.NoCredentialsError: Unable to locate credentials',
      'Unable to locate credentials. You can configure credentials by running "aws configure".',
      'aws: [ERROR]: Unable to locate credentials. You can configure credentials by running "aws configure".',
      'Error: Unable to locate credentials',
      'upload: ./dist/app.zip to s3://dev-artifacts/app.zip failed: Unable to locate credentials',
      '2026-11-02 10:00:00,123 - botocore.credentials - ERROR - Unable to locate credentials',
    ],
  },
  {
    kind: 'missing',
    program: 'botocore',
    source:
      'boto/botocore botocore/exceptions.py PartialCredentialsError ("Partial credentials found in {provider}, missing: {cred_var}")',
    lines: [
      'botocore.exceptions.PartialCredentialsError: Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY',
      'Partial credentials found in shared-credentials-file, missing: aws_secret_access_key',
      'aws: [ERROR]: Partial credentials found in config-file, missing: aws_access_key_id',
    ],
  },
  {
    kind: 'missing',
    program: 'botocore',
    source:
      'boto/botocore botocore/exceptions.py CredentialRetrievalError ("Error when retrieving credentials from {provider}: {error_msg}"), credentials.py error_msg values',
    lines: [
      'botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from custom-process: exit status 1',
      'Error when retrieving credentials from container-role: Error retrieving metadata: Received error when attempting to retrieve container metadata: Connection refused',
      'aws: [ERROR]: Error when retrieving credentials from custom-process: Credential refresh failed, response did not contain: access_key, token',
      'Error when retrieving credentials from Environment: No credentials found in credential_source referenced in profile dev',
      "Error: Error when retrieving credentials from custom-process: Unsupported version '2' for credential process provider, supported versions: 1",
    ],
  },
  {
    kind: 'expired',
    program: 'botocore',
    source:
      'boto/botocore credentials.py RefreshableCredentials._protected_refresh (RuntimeError after a refresh that returned expired credentials)',
    lines: [
      'RuntimeError: Credentials were refreshed, but the refreshed credentials are still expired.',
      '2026-11-02 10:00:00,123 - botocore.credentials - WARNING - Credentials were refreshed, but the refreshed credentials are still expired.',
    ],
  },
  {
    kind: 'expired',
    program: 'botocore',
    source:
      'boto/botocore exceptions.py RefreshWithMFAUnsupportedError; shape as in https://github.com/aws/aws-sam-cli/issues/1682',
    lines: [
      'botocore.exceptions.RefreshWithMFAUnsupportedError: Cannot refresh credentials: MFA token required.',
      'Error: Cannot refresh credentials: MFA token required.',
    ],
  },
  {
    kind: 'expired',
    program: 'botocore',
    source: "boto/botocore exceptions.py LoginRefreshRequired (profiles from 'aws login')",
    lines: [
      "botocore.exceptions.LoginRefreshRequired: Your session has expired or credentials have changed. Please reauthenticate using 'aws login'.",
      "aws: [ERROR]: Your session has expired or credentials have changed. Please reauthenticate using 'aws login'.",
    ],
  },
  {
    kind: 'expired',
    program: 'botocore',
    source: "boto/botocore credentials.py LoginProvider LoginTokenLoadError ('aws login' session gone)",
    lines: [
      "Error loading login session token: Unable to load a existing login session for session arn:aws:iam::123456789012:user/alice. Please reauthenticate with 'aws login'.",
      "aws: [ERROR]: Error loading login session token: Unable to refresh access token due to an invalid service response. Please try running 'aws login' again. If the issue persists, there may be a temporary signin service problem.",
    ],
  },
  {
    kind: 'sso-expired',
    program: 'botocore',
    source:
      'boto/botocore tokens.py SSOTokenProvider TokenRetrievalError(provider="sso", "Token has expired and refresh failed"); https://github.com/aws/aws-sam-cli/issues/7759',
    lines: [
      'Error when retrieving token from sso: Token has expired and refresh failed',
      'Error: Error when retrieving token from sso: Token has expired and refresh failed',
      'botocore.exceptions.TokenRetrievalError: Error when retrieving token from sso: Token has expired and refresh failed',
      'aws: [ERROR]: Error when retrieving token from sso: Token has expired and refresh failed',
    ],
  },
  {
    kind: 'sso-expired',
    program: 'botocore',
    source: 'boto/botocore exceptions.py UnauthorizedSSOTokenError and SSOTokenLoadError',
    lines: [
      'botocore.exceptions.UnauthorizedSSOTokenError: The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      'aws: [ERROR]: The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      'Error loading SSO Token: Token for my-sso does not exist',
      'botocore.exceptions.SSOTokenLoadError: Error loading SSO Token: The SSO access token has either expired or is otherwise invalid.',
      'Error: Error loading SSO Token: Token for https://my-org.awsapps.com/start does not exist',
    ],
  },

  // ---------------------------------------------------------------- SAM CLI's own wrappers
  {
    kind: 'missing',
    program: 'sam-cli',
    source:
      'aws/aws-sam-cli samcli/lib/utils/managed_cloudformation_stack.py, commands/delete/delete_context.py, commands/validate/validate.py, local/layers/layer_downloader.py (NoCredentialsError wrappers)',
    lines: [
      'Error: Error Setting Up Managed Stack Client: Unable to resolve credentials for the AWS SDK for Python client. Please see their documentation for options to pass in credentials: https://boto3.amazonaws.com/v1/documentation/api/latest/guide/configuration.html',
      'Error: Unable to resolve credentials for the AWS SDK for Python client. Please see their documentation for options to pass in credentials: https://boto3.amazonaws.com/v1/documentation/api/latest/guide/configuration.html',
      'Error: AWS Credentials are required. Please configure your credentials.',
      'Error: Layers require credentials to download the layers locally.',
    ],
  },

  // ---------------------------------------------------------------- AWS SDK for JavaScript v3 (CDK CLI, Node apps)
  {
    kind: 'missing',
    program: 'aws-sdk-js-v3',
    source:
      'aws/aws-sdk-js-v3 credential-provider-node defaultProvider ("Could not load credentials from any providers"); https://github.com/aws/aws-sdk-js-v3/issues/4989',
    lines: [
      'CredentialsProviderError: Could not load credentials from any providers',
      'Could not load credentials from any providers',
      '{"level":"error","message":"Could not load credentials from any providers","name":"CredentialsProviderError","tryNextLink":false}',
      '      CredentialsProviderError: Could not load credentials from any providers',
      'Error: Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
    ],
  },
  {
    kind: 'missing',
    program: 'aws-sdk-js-v3',
    source:
      'aws/aws-sdk-js-v3 credential-provider-ini resolveProfileData / resolveAssumeRoleCredentials; credential-provider-process',
    lines: [
      'CredentialsProviderError: Could not resolve credentials using profile: [dev] in configuration/credentials file(s).',
      'CredentialsProviderError: Profile dev requires multi-factor authentication, but no MFA code callback was provided.',
      'CredentialsProviderError: Profile sandbox could not be found in shared credentials file.',
      'CredentialsProviderError: Profile dev did not contain credential_process.',
      'CredentialsProviderError: Profile dev was not found.',
    ],
  },
  {
    kind: 'expired',
    program: 'aws-sdk-js-v3',
    source: 'aws/aws-sdk-js-v3 credential-provider-process getValidatedProcessCredentials',
    lines: [
      'Error: Profile dev credential_process returned expired credentials.',
      'CredentialsProviderError: Profile sandbox-admin credential_process returned expired credentials.',
    ],
  },
  {
    kind: 'invalid',
    program: 'aws-sdk-js-v3',
    source: 'aws/aws-sdk-js-v3 credential-provider-process resolveProcessCredentials (unusable output)',
    lines: [
      'Error: Profile dev credential_process returned invalid credentials.',
      'Error: Profile dev credential_process returned invalid JSON.',
      'Error: Profile dev credential_process did not return Version 1.',
    ],
  },
  {
    kind: 'invalid',
    program: 'aws-sdk-js-v3',
    source: 'aws/aws-sdk-js-v3 credential-provider-http checkProperty / fromHttp',
    lines: [
      'CredentialsProviderError: HTTP credential provider response not of the required format, an object matching: { AccessKeyId: string, SecretAccessKey: string, Token: string, Expiration: string(rfc3339) }',
    ],
  },
  {
    kind: 'sso-expired',
    program: 'aws-sdk-js-v3',
    source:
      'aws/aws-sdk-js-v3 credential-provider-sso resolveSSOCredentials; token-providers fromSso (REFRESH_MESSAGE)',
    lines: [
      'CredentialsProviderError: The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
      'CredentialsProviderError: The SSO session associated with this profile is invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      "TokenProviderError: Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
      "TokenProviderError: The SSO session token associated with profile=dev was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
      "TokenProviderError: Value not present for 'accessToken' in SSO Token. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
      "CredentialsProviderError: Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    ],
  },
  {
    kind: 'expired',
    program: 'aws-sdk-js-v3',
    source:
      "aws/aws-sdk-js-v3 credential-provider-login LoginCredentialsFetcher (TOKEN_EXPIRED, refresh failures of 'aws login' sessions)",
    lines: [
      'CredentialsProviderError: Your session has expired. Please reauthenticate.',
      'CredentialsProviderError: Failed to refresh token: Error: socket hang up. Please re-authenticate using aws login',
      'CredentialsProviderError: Failed to load a token for session arn:aws:iam::123456789012:user/alice, please re-authenticate using aws login',
    ],
  },
  {
    kind: 'invalid',
    program: 'aws-sdk-js-v3',
    source: 'aws/aws-sdk-js-v3 credential-provider-login USER_CREDENTIALS_CHANGED',
    lines: [
      'CredentialsProviderError: Unable to refresh credentials because of a change in your password. Please reauthenticate with your new password.',
    ],
  },

  // ---------------------------------------------------------------- AWS SDK for JavaScript v2 (Serverless v3, Amplify, old CDK)
  {
    kind: 'missing',
    program: 'aws-sdk-js-v2',
    source:
      'aws/aws-sdk-js lib/config.js credentials error ("Missing credentials in config"); serverless lib/aws/v2/request.js matches it',
    lines: [
      'CredentialsError: Missing credentials in config, if using AWS_CONFIG_FILE, set AWS_SDK_LOAD_CONFIG=1',
      'Error: Missing credentials in config',
    ],
  },
  {
    kind: 'expired',
    program: 'aws-sdk-js-v2',
    source:
      'https://github.com/CloudSmith-Delivery-Troubleshooting/backend-infra-cdk/issues/3 (ChainableTemporaryCredentials in CI)',
    lines: [
      'Error: Could not load credentials from ChainableTemporaryCredentials2: Missing credentials in config, if using AWS_CONFIG_FILE, set AWS_SDK_LOAD_CONFIG=1: Could not load credentials from ChainableTemporaryCredentials2: The security token included in the request is expired',
    ],
  },
  {
    kind: 'expired',
    program: 'amplify-cli',
    source: 'https://github.com/aws-amplify/amplify-cli/issues/10026 (winston uncaughtException line)',
    lines: [
      '2022-03-19T12:47:40.022Z - error: uncaughtException: Error occurred while monitoring stack:The security token included in the request is expired date=Sat Mar 19 2022 12:47:40 GMT+0000 (Coordinated Universal Time), pid=26126, uid=1000',
    ],
  },

  // ---------------------------------------------------------------- CDK CLI
  {
    kind: 'missing',
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli toolkit-lib api/aws-auth/sdk-provider.ts fmtObtainCredentialsError (source "none"); https://github.com/aws/aws-cdk/issues/27265',
    lines: [
      'Need to perform AWS calls for account 123456789012, but no credentials have been configured',
      ' ❌ Deployment failed: Error: Need to perform AWS calls for account 123456789012, but no credentials have been configured',
      'Need to perform AWS calls for account 123456789012, but no credentials have been configured, and none of these plugins found any: cdk-assume-role-credential-plugin',
      '  Error: Need to perform AWS calls for account 1234567890, but no credentials have been configured.',
    ],
  },
  {
    kind: 'missing',
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli sdk-provider.ts resolveEnvironment ("UnresolvedAccount"); https://github.com/aws/aws-cdk/issues/24744 and #20896',
    lines: [
      'Unable to resolve AWS account to use. It must be either configured when you define your CDK Stack, or through the environment',
      ' ❌ Deployment failed: Error: Unable to resolve AWS account to use. It must be either configured when you define your CDK Stack, or through the environment',
      '[17:17:40] Error: Unable to resolve AWS account to use. It must be either configured when you define your CDK Stack, or through the environment',
    ],
  },
  {
    kind: 'missing',
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli toolkit-lib api/aws-auth/base-credentials.ts BaseCredentials.none(); old CDK (https://github.com/aws/aws-cdk/issues/386)',
    lines: [
      'AuthenticationError: No credentials available due to BaseCredentials.none()',
      'Stack hello-cdk does not define an environment, and AWS credentials could not be obtained from standard locations or no region was configured.',
    ],
  },
  {
    kind: 'expired',
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli sdk-provider.ts defaultAccount() warning and withAssumedRole() AssumeRoleExpiredToken',
    lines: [
      'There are expired AWS credentials in your environment. The CDK app will synth without current account information.',
      '[WARNING] There are expired AWS credentials in your environment. The CDK app will synth without current account information.',
      '❌  DevStack failed: AssumeRoleExpiredToken: Assuming role failed: ExpiredToken',
      'Assuming role failed: ExpiredToken',
    ],
  },
  {
    kind: 'expired',
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli sdk-provider.ts defaultAccount() debug line ("Unable to determine the default AWS account (<name>): <message>"); CDK v1 trace from https://github.com/aws/aws-cdk/issues/15309',
    lines: [
      '[12:00:01] Unable to determine the default AWS account (ExpiredToken): The security token included in the request is expired',
      'Call failed: describeStacks({"StackName":"mystack"}) => The security token included in the request is expired (code=ExpiredToken)',
      'ExpiredToken (HTTP 403, request id: 8f2c4a1e-0d6b-4c55-9d0e-2b1f3a4c5d6e)',
    ],
  },
  {
    kind: 'sso-expired',
    program: 'cdk-cli',
    source: 'https://github.com/aws/aws-cdk/issues/33956 (CDK -v output with an expired SSO session)',
    lines: [
      '[21:11:42] Unable to determine the default AWS account (CredentialsProviderError): The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
    ],
  },
  {
    kind: 'invalid',
    program: 'cdk-cli',
    source: 'https://github.com/aws/aws-cdk/issues/1651 (CDK printing the message, then the SDK error)',
    lines: [
      'The security token included in the request is invalid.',
      'InvalidClientTokenId: The security token included in the request is invalid.',
    ],
  },

  // ---------------------------------------------------------------- Serverless Framework
  {
    kind: 'missing',
    program: 'serverless',
    source:
      'serverless/serverless packages/serverless/lib/aws/v3/error-utils.js (AWS_CREDENTIALS_NOT_FOUND) and packages/sf-core/src/lib/resolvers/providers/aws/credentials.js (AWS_CREDENTIALS_MISSING)',
    lines: [
      'AWS provider credentials not found. Learn how to set up AWS provider credentials in our docs here: http://slss.io/aws-creds-setup',
      '✖ AWS credentials missing or invalid. Run "serverless" to set up AWS credentials, or learn more in our docs: https://slss.io/aws-creds-setup. Original error from AWS: Could not load credentials from any providers',
      '✖ AWS credentials missing or invalid. Original error from AWS: Profile dev could not be found in shared credentials file.',
    ],
  },
  {
    kind: 'invalid',
    program: 'serverless',
    source:
      'https://github.com/serverless/serverless/issues/1518, #4592, #7267 (ServerlessError with the SDK message)',
    lines: [
      'Error: ServerlessError: ServerlessError: The security token included in the request is invalid.',
      '  ServerlessError: The security token included in the request is invalid.',
      '  The security token included in the request is invalid.',
    ],
  },
  {
    kind: 'expired',
    program: 'serverless',
    source: 'https://github.com/serverless/serverless/issues/11204',
    lines: [
      'The security token included in the request is expired',
      '✖ The security token included in the request is expired',
    ],
  },

  // ---------------------------------------------------------------- AWS SDK for Go v2, Terraform AWS provider
  {
    kind: 'missing',
    program: 'aws-sdk-go-v2',
    source:
      'aws/aws-sdk-go-v2 aws/credential_cache.go ("failed to refresh cached credentials, ...") and ec2rolecreds ("no EC2 IMDS role found")',
    lines: [
      'failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled, context deadline exceeded',
      'operation error S3: ListBuckets, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, exceeded maximum number of attempts, 3, request send failed, Get "http://169.254.169.254/latest/meta-data/iam/security-credentials/": dial tcp 169.254.169.254:80: connect: host is down',
      'failed to refresh cached credentials, process provider error: exit status 1',
      'operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, failed to load credentials, operation error ECS Credentials: GetCredentials, http response error StatusCode: 403',
    ],
  },
  {
    kind: 'missing',
    program: 'terraform-aws',
    source:
      'hashicorp/aws-sdk-go-base internal/config/errors.go NoValidCredentialSourcesError; Terraform output as in https://github.com/hashicorp/terraform-provider-aws issues',
    lines: [
      '│ Error: No valid credential sources found',
      '│ Error: configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found.',
      'Error: error configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found.',
      '│ Error: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled, context deadline exceeded',
    ],
  },
  {
    kind: 'expired',
    program: 'terraform-aws',
    source:
      'https://github.com/aws-samples/serverless-patterns/issues/970, https://github.com/hashicorp/terraform-provider-aws/issues/32809, https://github.com/hashicorp/terraform/issues/5579',
    lines: [
      '│ Error: error configuring Terraform AWS Provider: error validating provider credentials: error calling sts:GetCallerIdentity: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 6d1b2715-c592-449e-8c50-f6f8a7e27ca7, api error ExpiredToken: The security token included in the request is expired',
      '13:16:46  │ Error: waiting for EKS Cluster (githubissue) create: ExpiredTokenException: The security token included in the request is expired',
      '* ExpiredToken: The security token included in the request is expired',
    ],
  },
  {
    kind: 'invalid',
    program: 'terraform-aws',
    source: 'https://github.com/hashicorp/terraform-provider-aws/issues/24197 and #125',
    lines: [
      'Error: error configuring Terraform AWS Provider: error validating provider credentials: error calling sts:GetCallerIdentity: InvalidClientTokenId: The security token included in the request is invalid.',
      '* InvalidClientTokenId: The security token included in the request is invalid.',
    ],
  },
  {
    kind: 'sso-expired',
    program: 'aws-sdk-go-v2',
    source:
      'aws/aws-sdk-go-v2 credentials/ssocreds sso_credentials_provider.go InvalidTokenError and sso_token_provider.go refresh errors; Terraform output quoted in public docs',
    lines: [
      'the SSO session has expired or is invalid',
      'operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, the SSO session has expired or is invalid: open /home/dev/.aws/sso/cache/0a1b2c3d4e5f.json: no such file or directory',
      'refresh cached SSO token failed, cached SSO token is expired, or not present, and cannot be refreshed',
      '│ AWS Error: failed to refresh cached credentials, refresh cached SSO token failed, unable to refresh SSO token, operation error SSO OIDC: CreateToken, https response error StatusCode: 400, RequestID: c0dd4a98-e423-4de2-b972-d749d58afd44, InvalidGrantException:',
      'SSOProviderInvalidToken: the SSO session has expired or is invalid',
    ],
  },
  {
    kind: 'expired',
    program: 'aws-sdk-go-v2',
    source: "aws/aws-sdk-go-v2 credentials/logincreds provider.go toAccessDeniedError ('aws login' sessions)",
    lines: [
      'operation error S3: GetObject, get identity: get credentials: failed to refresh cached credentials, create oauth2 token: login session has expired, please reauthenticate',
    ],
  },
  {
    kind: 'invalid',
    program: 'aws-sdk-go-v2',
    source:
      'aws/aws-sdk-go-v2 credentials/logincreds provider.go toAccessDeniedError (UserCredentialsChanged)',
    lines: [
      'failed to refresh cached credentials, create oauth2 token: login session password has changed, please reauthenticate',
    ],
  },
  {
    kind: 'missing',
    program: 'aws-sdk-go-v2',
    source: 'aws/aws-sdk-go-v2 credentials/logincreds provider.go loadToken (no cached login token)',
    lines: [
      'failed to refresh cached credentials, load login token: token file not found, please reauthenticate',
    ],
  },
  {
    kind: 'missing',
    program: 'aws-sdk-go-v1',
    source:
      'aws/aws-sdk-go aws/credentials chain_provider.go ErrNoValidProvidersFoundInChain, env_provider.go, ec2rolecreds',
    lines: [
      'NoCredentialProviders: no valid providers in chain. Deprecated.',
      'NoCredentialProviders: no valid providers in chain',
      'EnvAccessKeyNotFound: failed to find credentials in the environment.',
      'EC2RoleRequestError: no EC2 instance role found',
    ],
  },

  // ---------------------------------------------------------------- AWS SDK for Java v2 and v1
  {
    kind: 'missing',
    program: 'aws-sdk-java-v2',
    source:
      'aws/aws-sdk-java-v2 AwsCredentialsProviderChain.resolveCredentials and SystemSettingsCredentialsProvider messages',
    lines: [
      `software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain ${CLI_DEFAULT_CHAIN} : [SystemPropertyCredentialsProvider(): Unable to load credentials from system settings. Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId).]`,
      `FATAL [com.example.ConfigurationService] (main) Configuration couldn't load: software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain ${CLI_DEFAULT_CHAIN}`,
      'Caused by: software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from system settings. Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId).',
      "software.amazon.awssdk.core.exception.SdkClientException: Profile file contained no credentials for profile 'default': ProfileFile(sections=[profiles], profiles=[Profile(name=default, properties=[region])])",
      'software.amazon.awssdk.core.exception.SdkClientException: Failed to load credentials from IMDS.',
    ],
  },
  {
    kind: 'sso-expired',
    program: 'aws-sdk-java-v2',
    source:
      'aws/aws-sdk-java-v2 services/sso internal/SsoAccessTokenProvider (sso.auth.ExpiredTokenException) and ssooidc SsoOidcTokenProvider ("Token is expired", "Unable to load SSO token")',
    lines: [
      'software.amazon.awssdk.services.sso.auth.ExpiredTokenException: null',
      'Caused by: software.amazon.awssdk.services.sso.auth.ExpiredTokenException',
      'software.amazon.awssdk.core.exception.SdkClientException: Token is expired',
      'software.amazon.awssdk.core.exception.SdkClientException: Unable to load SSO token',
    ],
  },
  {
    kind: 'missing',
    program: 'aws-sdk-java-v1',
    source: 'aws/aws-sdk-java AWSCredentialsProviderChain.getCredentials',
    lines: [
      'com.amazonaws.SdkClientException: Unable to load AWS credentials from any provider in the chain: [EnvironmentVariableCredentialsProvider: Unable to load AWS credentials from environment variables (AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY) and AWS_SECRET_KEY (or AWS_SECRET_ACCESS_KEY)), SystemPropertiesCredentialsProvider: Unable to load AWS credentials from Java system properties (aws.accessKeyId and aws.secretKey)]',
      'com.amazonaws.AmazonClientException: Unable to load AWS credentials from any provider in the chain',
    ],
  },

  // ---------------------------------------------------------------- apps echoing SDK errors (issue threads)
  {
    kind: 'expired',
    program: 'boto3-app',
    source:
      'https://github.com/aws-samples/sample-sonic-cdk-agent/issues/16, https://github.com/cloud-custodian/cloud-custodian/issues/9216, https://github.com/aws-samples/aws-iot-twinmaker-samples/issues/147',
    lines: [
      'Service error: DynamoDB error: The security token included in the request is expired',
      'DynamoDB ClientError: ExpiredTokenException - The security token included in the request is expired',
      'region:us-east-1 error:An error occurred (ExpiredTokenException) when calling the GetFunction operation: The security token included in the request is expired',
      'botocore.exceptions.ClientError: An error occurred (ExpiredToken) when calling the CreateRole operation: The security token included in the request is expired',
    ],
  },
  {
    kind: 'sso-expired',
    program: 'aws-sso-util',
    source: 'benkehoe/aws-sso-util login-required message',
    lines: [
      'Login required. Use `aws-sso-util login --profile dev` or `aws sso login --profile dev` and try again.',
    ],
  },

  // ---------------------------------------------------------------- batch 2: lines as users reported them
  // (added after the first held-out measurement; they join the splits by the same hash)
  {
    kind: 'missing',
    program: 'botocore',
    source:
      'https://github.com/aws/amazon-ecs-agent/issues/738, #1780, https://github.com/aws-samples/containers-blog-maelstrom/issues/123, https://github.com/boto/botocore/issues/3353 (container credentials endpoint failures)',
    lines: [
      'Error when retrieving credentials from container-role: Error retrieving metadata: Received non 200 response (400) from ECS metadata: {"code":"InvalidIdInRequest","message":"CredentialsV2Request: ID not found"}',
      'botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from container-role: Error retrieving metadata: Received non 200 response (400) from ECS metadata: ',
      'botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from container-role: Error retrieving metadata: Received error when attempting to retrieve container metadata: Connect timeout on endpoint URL: "http://169.254.170.23/v1/credentials"',
      'Thing \'sensor-7\' attributes not found. err=Error when retrieving credentials from container-role: Error retrieving metadata: Received error when attempting to retrieve container metadata: Could not connect to the endpoint URL: "http://localhost:39279/2016-11-01/credentialprovider/"',
    ],
  },
  {
    kind: 'missing',
    program: 'aws-sdk-go-v2',
    source:
      'https://github.com/aws/aws-sdk-go-v2/issues/2316, #2066, https://github.com/aws/aws-sdk-go/issues/5306 (credential cache failures as apps log them)',
    lines: [
      "failed to refresh cached credentials, failed to load credentials, deserialization failed, failed to decode error message, invalid character 'Y' looking for beginning of value",
      '"error": "operation error Secrets Manager: GetSecretValue, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, exceeded maximum number of attempts, 3, http response error StatusCode: 503, request to EC2 IMDS failed"',
      'operation error Marketplace Metering: ResolveCustomer, exceeded maximum number of attempts, 3, failed to sign request: failed to retrieve credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, exceeded maximum number of attempts, 3, request send failed',
    ],
  },
  {
    kind: 'missing',
    program: 'aws-sdk-js-v3-app',
    source:
      'https://github.com/smithy-lang/smithy-typescript/issues/1143, https://github.com/aws/aws-sdk-js-v3/issues/8101 (container provider rejecting the endpoint)',
    lines: [
      'CredentialsProviderError: 169.254.170.23 is not a valid container metadata service hostname',
      '[Nest] 22  - 01/14/2024, 5:21:05 AM   ERROR [ExceptionsHandler] 169.254.170.23 is not a valid container metadata service hostname',
    ],
  },
  {
    kind: 'missing',
    program: 'aws-sdk-net',
    source:
      'https://github.com/aws/aws-sdk-net/issues/1609, #1004, https://github.com/Kralizek/AWSSecretsManagerConfigurationExtensions/issues/84',
    lines: [
      'Amazon.Runtime.AmazonServiceException: Unable to get IAM security credentials from EC2 Instance Metadata Service.',
      'EXCEPTION: System.InvalidOperationException: Failed to retrieve credentials from EC2 Instance Metadata Service. (See inner exception for details.) ---> Amazon.Runtime.AmazonServiceException: Failed to retrieve credentials from EC2 Instance Metadata Service.',
      'Unable to retrieve credentials. Message = "Unable to reach credentials server"',
    ],
  },
  {
    kind: 'expired',
    program: 'aws-sdk-net',
    source: 'https://github.com/aws/aws-sdk-net/issues/3864',
    lines: [
      'Amazon.Runtime.AmazonClientException: The retrieved credentials have already expired: Now = 05/19/2025 06:43:19, Credentials expiration = 05/16/2025 23:49:10',
    ],
  },
  {
    kind: 'expired',
    program: 'aws-sdk-go-v2',
    source: 'https://github.com/mantil-io/mantil/issues/9 (a watch loop that outlived its token)',
    lines: [
      '2021/08/16 12:00:10 skipping function could not put key mantil-project-try-first-try in bucket functions/hello-3f5300.zip - operation error S3: PutObject, https response error StatusCode: 400, RequestID: YXM7QYA80FP306FG, HostID: h9JxFkSSGLz9Ld, api error ExpiredToken: The provided token has expired. due to error while processing s3 file',
    ],
  },
  {
    kind: 'expired',
    program: 'aws-sdk-js-v2',
    source: 'https://github.com/mapbox/ecs-watchbot/issues/61',
    lines: [
      '[Wed, 12 Oct 2016 14:14:51 GMT] [watchbot] Error polling cluster resources: The security token included in the request is expired',
      '[Wed, 12 Oct 2016 14:14:51 GMT] [watchbot] ExpiredToken: The security token included in the request is expired',
    ],
  },
  {
    kind: null,
    category: 'normal-credential-chatter',
    program: 'app',
    source:
      "https://github.com/aws/amazon-ecs-agent/issues/738 (the agent's own log), https://github.com/aws/aws-sdk-net/issues/1609 (stack frame), https://github.com/aws-samples/sample-sonic-cdk-agent/issues/16, https://github.com/GoogleCloudPlatform/konlet/issues/76",
    lines: [
      '2017-03-23T01:14:29Z [INFO] CredentialsV2Request: ID not found. Request IP Address: 172.17.0.4:42011',
      '   at Amazon.Runtime.DefaultInstanceProfileAWSCredentials.FetchCredentials()',
      'AWS credentials refreshed successfully',
      'Downloading credentials for default VM service account from metadata server',
      'Error: Cannot get auth token: Metadata server responded with status 404',
    ],
  },

  // ================================================================ look-alikes
  {
    kind: null,
    category: 'advisory-warning',
    program: 'botocore',
    source:
      'boto/botocore credentials.py RefreshableCredentials._protected_refresh and tokens.py SSOTokenProvider (warnings logged while the current credentials are still used); https://github.com/aio-libs/aiobotocore/issues/1015',
    lines: [
      'Refreshing temporary credentials failed during advisory refresh period.',
      '2026-11-02 10:00:00,123 - botocore.credentials - WARNING - Refreshing temporary credentials failed during advisory refresh period.',
      '13:18:13.536 | WARNING | aiobotocore.credentials - Refreshing temporary credentials failed during advisory refresh period.',
      'Refreshing temporary credentials failed during mandatory refresh period.',
      'Refreshing token failed during the advisory refresh period.',
      'WARNING:botocore.tokens:Refreshing token failed during the mandatory refresh period.',
      'WARNING:botocore.tokens:SSO token refresh attempt failed',
    ],
  },
  {
    kind: null,
    category: 'normal-credential-chatter',
    program: 'botocore',
    source: 'boto/botocore credentials.py / tokens.py info and debug log lines',
    lines: [
      'Found credentials in environment variables.',
      'Found credentials in shared credentials file: ~/.aws/credentials',
      'INFO:botocore.credentials:Found credentials from IAM Role: DevInstanceRole',
      'DEBUG:botocore.credentials:Looking for credentials via: sso',
      'DEBUG:botocore.credentials:Credentials need to be refreshed.',
      'DEBUG:botocore.credentials:Retrieved credentials will expire at: 2026-11-02 11:00:00+00:00',
      'INFO:botocore.tokens:Loading cached SSO token for my-sso',
      'DEBUG:botocore.tokens:Cached SSO token expires at 2026-11-02 18:00:00+00:00',
      'INFO:botocore.tokens:SSO Token refresh succeeded',
      "INFO:botocore.tokens:Unable to refresh SSO token: missing keys: ['refreshToken']",
      'INFO:botocore.tokens:SSO token registration expired at 2026-10-01 10:00:00+00:00',
      'DEBUG:botocore.credentials:Credentials for role retrieved from cache.',
    ],
  },
  {
    kind: null,
    category: 'access-denied-not-expiry',
    program: 'botocore',
    source:
      'boto/botocore exceptions.py LoginInsufficientPermissions; aws-sdk-js-v3 credential-provider-login INSUFFICIENT_PERMISSIONS; aws-sdk-go-v2 logincreds',
    lines: [
      "Unable to create or refresh login credentials due to insufficient permissions. You may be missing permission for the 'signin:CreateOAuth2Token' action.",
      'failed to refresh cached credentials, create oauth2 token: insufficient permissions, you may be missing permissions for the CreateOAuth2Token action',
    ],
  },
  {
    kind: null,
    category: 'configuration',
    program: 'botocore',
    source:
      'boto/botocore credentials.py InvalidConfigError messages and ProfileNotFound (configuration, not credentials)',
    lines: [
      'botocore.exceptions.InvalidConfigError: The specified sso-session does not exist: "my-sso"',
      'The config profile (dev) could not be found',
      'botocore.exceptions.NoRegionError: You must specify a region.',
      'Token provider named sso not found.',
    ],
  },
  {
    kind: null,
    category: 'access-denied-not-expiry',
    program: 'sam-cli',
    source:
      'aws/aws-sam-cli local/layers/layer_downloader.py (AccessDeniedException wrapper) and local invoke notice (https://github.com/aws/aws-sam-cli/issues/7759)',
    lines: [
      'Error: Credentials provided are missing lambda:Getlayerversion policy that is needed to download the layer or you do not have permission to download the layer',
      'No current session found, using default AWS::AccountId',
    ],
  },
  {
    kind: null,
    category: 'normal-credential-chatter',
    program: 'cdk-cli',
    source:
      'aws/aws-cdk-cli sdk-provider.ts / environment-access.ts warnings and -v trace lines; https://github.com/aws/aws-cdk/issues/15309, #1651',
    lines: [
      "current credentials could not be used to assume 'arn:aws:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-us-east-1', but are for the right account. Proceeding anyway.",
      'Lookup role arn:aws:iam::123456789012:role/cdk-hnb659fds-lookup-role-123456789012-us-east-1 was not assumed. Proceeding with default credentials.',
      'Resolving default credentials',
      'Retrieved account ID 123456789012 from disk cache',
      'Using default AWS SDK credentials for account 123456789012',
      "[AWS cloudformation 403 593.955s 10 retries] describeStacks({ StackName: 'dev-pmd-app' })",
      "[21:11:42] Unable to determine the default AWS account (TypeError): Cannot read properties of undefined (reading 'sso_region')",
      'Need to perform AWS calls for account 123456789012, but the current credentials are for 210987654321',
      'Could not assume role in target account using current credentials (which are for account 210987654321) User: arn:aws:sts::210987654321:assumed-role/Dev/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-us-east-1 .',
    ],
  },
  {
    kind: null,
    category: 'normal-credential-chatter',
    program: 'aws-sdk-js-v3',
    source:
      'aws/aws-sdk-js-v3 credential-provider-node chain debug lines and warnings (providers that are skipped, not failures)',
    lines: [
      '@aws-sdk/credential-provider-env - fromEnv::process.env: Unable to find environment variable credentials.',
      'CredentialsProviderError: AWS_PROFILE is set, skipping fromEnv provider.',
      'CredentialsProviderError: Skipping SSO provider in default chain (inputs do not include SSO fields).',
      '@aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING: Multiple credential sources detected: Both AWS_PROFILE and the pair AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY static credentials are set.',
      '    at new CredentialsProviderError (/app/node_modules/@smithy/property-provider/dist-cjs/index.js:84:5)',
      '    at resolveSSOCredentials (file:///app/node_modules/@aws-sdk/credential-provider-sso/dist-es/resolveSSOCredentials.js:20:15)',
    ],
  },
  {
    kind: null,
    category: 'docs-text',
    program: 'terraform-aws',
    source:
      'hashicorp/aws-sdk-go-base NoValidCredentialSourcesError.Detail and credentials.go warning (text around the error, not the error)',
    lines: [
      '│ Please see https://registry.terraform.io/providers/hashicorp/aws',
      '│ for more information about providing credentials.',
      '│ Warning: A Profile was specified along with the environment variables "AWS_ACCESS_KEY_ID" and "AWS_SECRET_ACCESS_KEY". The Profile is now used instead of the environment variable credentials.',
      '│ \tstatus code: 403, request id: a16bb54f-d47d-4283-b431-70f06fb0112f',
      '│   * The web identity token used in order to assume the role is invalid',
    ],
  },
  {
    kind: null,
    category: 'normal-credential-chatter',
    program: 'serverless',
    source:
      'serverless/serverless provider.js / onboarding.js messages and v3 deploy summaries (https://github.com/iandees/aws-billing-to-slack/issues/21)',
    lines: [
      'Docker authentication token will be stored unencrypted in docker config. Configure Docker credential helper to remove this warning.',
      'Credentials: Local, "default" profile',
      '✔ AWS Credentials Successfully Saved',
      'If you have run into issues during this process, check out the Serverless Framework documentation on setting up AWS Credentials: https://www.serverless.com/framework/docs/providers/aws/guide/credentials/',
    ],
  },
  {
    kind: null,
    category: 'other-token',
    program: 'docker',
    source:
      'docker / Amazon ECR login messages during CDK asset publishing (the registry login, not the AWS credentials)',
    lines: [
      'denied: Your authorization token has expired. Reauthenticate and try again.',
      'fail: docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-us-east-1:3f2a exited with error code 1: denied: Your authorization token has expired. Reauthenticate and try again.',
      'no basic auth credentials',
      'Login Succeeded',
      'WARNING! Your password will be stored unencrypted in /home/dev/.docker/config.json.',
    ],
  },
  {
    kind: null,
    category: 'other-token',
    program: 'app',
    source:
      'application output that talks about its own tokens and keys (JWT, OAuth, sessions, TLS, package registries)',
    lines: [
      'TokenExpiredError: jwt expired',
      'JsonWebTokenError: invalid token',
      'token validation failed: Token is expired',
      'GET /api/me 401 12.345 ms - {"error":"access token expired"}',
      'refresh token expired for user 42, redirecting to /login',
      'OAuth token has expired. Please obtain a new token or refresh your existing token.',
      'Error: certificate has expired',
      'Error: CERT_HAS_EXPIRED: certificate has expired',
      'npm ERR! Unable to authenticate, your authentication token seems to be invalid.',
      'remote: Invalid username or token. Password authentication is not supported for Git operations.',
      'Stripe: Invalid API Key provided: sk_test_****',
      'HttpError: Bad credentials',
      'Session expired, please log in again',
      'Your trial has expired.',
      'Cleaned up expired cache entry: sessions/42',
      'Missing Authentication Token',
      'ConfigError: Missing credentials in config.yaml',
      'Invalid signature for webhook payload',
    ],
  },
  {
    kind: null,
    category: 'identifier',
    program: 'app',
    source: 'identifiers, file names and code that contain an AWS error code as a word part',
    lines: [
      'DevStack | 3/7 | 12:01:02 PM | CREATE_COMPLETE      | AWS::DynamoDB::Table | DevStack/ExpiredTokenTable/Resource',
      "const isExpiredTokenError = (err) => err.name.startsWith('Expired');",
      ' ✓ src/errors/ExpiredToken.test.ts (3 tests) 12ms',
      "import { ExpiredTokenException } from '@aws-sdk/client-sts';",
      'src/detect/credential-error-rules.ts:42 export const INVALID_CLIENT_TOKEN_ID_CODES = ["InvalidClientTokenId"];',
      "[watch] 'watch' is observing the file 'src/credentials/sts-client.ts' for changes",
      'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/ExpiredTokenHandler:*',
      'Outputs: DevStack.ExpiredTokenQueueUrl = https://sqs.us-east-1.amazonaws.com/123456789012/ExpiredTokenQueue',
    ],
  },
  {
    kind: null,
    category: 'docs-text',
    program: 'app',
    source: 'help and troubleshooting text that names the messages without reporting them',
    lines: [
      'Troubleshooting: if you see "ExpiredToken", refresh your credentials and try again.',
      'Tip: errors like InvalidClientTokenId mean the key was deleted; see docs/credentials.md',
      '  --profile       Use the indicated AWS profile as the default environment              [string]',
      '  -h, --help      Show help. Credentials are read from ~/.aws/credentials by default.',
      '# If your SSO session expired, run aws sso login before cdk deploy',
    ],
  },
];
