/**
 * The rules a working identity must pass, and the facts the checklist shows about it. Pure.
 */
import type { AwsCredentials } from '../credentials/types.js';
import type { CallerIdentity, VerificationFailure, VerificationResult } from './verification-result.js';

/** `arn:aws:iam::123456789012:root`, in any partition (`aws-cn`, `aws-us-gov`, …). */
const ROOT_ARN = /^arn:aws[a-z-]*:iam::\d{12}:root$/;
const ACCOUNT_ID = /^\d{12}$/;

export function isRootArn(arn: string): boolean {
  return ROOT_ARN.test(arn);
}

/** `ASIA…` keys are temporary and `AKIA…` long-term; other prefixes are judged by the session token. */
export function isTemporaryKey(credentials: AwsCredentials): boolean {
  if (credentials.accessKeyId.startsWith('ASIA')) return true;
  if (credentials.accessKeyId.startsWith('AKIA')) return false;
  return Boolean(credentials.sessionToken);
}

/** Credentials whose own expiration has passed need no STS call to be known expired. */
export function expiredBeforeAsking(
  credentials: AwsCredentials,
  now: Date,
  region: string,
): VerificationFailure | undefined {
  const expiration = credentials.expiration;
  if (!expiration || expiration.getTime() > now.getTime()) return undefined;
  return {
    ok: false,
    reason: 'expired',
    region,
    code: 'EXPIRED',
    message: `These credentials expired at ${expiration.toISOString()} (their stated expiration); STS was not asked.`,
    fix: 'Get fresh credentials (rewrite the credentials file, or `aws sso login` for a profile) and try again.',
  };
}

export function missingKeys(credentials: AwsCredentials, region: string): VerificationFailure | undefined {
  const absent = [
    credentials.accessKeyId.trim() ? undefined : 'access key id',
    credentials.secretAccessKey.trim() ? undefined : 'secret access key',
  ].filter(Boolean);
  if (absent.length === 0) return undefined;
  return {
    ok: false,
    reason: 'missing',
    region,
    code: 'EMPTY_KEY',
    message: `The credentials have an empty ${absent.join(' and an empty ')}.`,
    fix: 'Provide complete credentials: an access key id, a secret access key and, for temporary ones, a session token.',
  };
}

export interface JudgeInputs {
  credentials: AwsCredentials;
  region: string;
  expectAccount?: string | undefined;
  now: Date;
}

/** The caller identity STS returned, judged: root and other accounts are refused. */
export function judgeIdentity(
  answer: { Account?: string | undefined; Arn?: string | undefined; UserId?: string | undefined },
  { credentials, region, expectAccount, now }: JudgeInputs,
): VerificationResult {
  const { Account: account, Arn: arn, UserId: userId } = answer;
  if (!account || !ACCOUNT_ID.test(account) || !arn) {
    return {
      ok: false,
      reason: 'error',
      region,
      code: 'NOT_STS',
      message: `The STS endpoint answered without a valid account and ARN (got account \`${account ?? ''}\`).`,
      fix: 'Check that AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (if set) point at STS, and try again.',
    };
  }
  const identity: CallerIdentity = { account, arn, userId: userId ?? '' };
  if (isRootArn(arn)) {
    return {
      ok: false,
      reason: 'root',
      region,
      identity,
      message: `These are the root user's credentials for account ${account}; cred-supervisor refuses them.`,
      fix: 'Use a role or an IAM Identity Center (SSO) user instead, and delete the root access keys (IAM console → Security credentials).',
    };
  }
  if (expectAccount && account !== expectAccount) {
    return {
      ok: false,
      reason: 'wrong-account',
      region,
      identity,
      message: `These credentials are for account ${account}, but the expected account (--expect-account) is ${expectAccount}.`,
      fix: `Provide credentials for account ${expectAccount}, or change --expect-account.`,
    };
  }
  const expiresAt = credentials.expiration;
  return {
    ok: true,
    ...identity,
    region,
    temporary: isTemporaryKey(credentials),
    root: false,
    ...(expiresAt ? { expiresAt, timeLeftMs: expiresAt.getTime() - now.getTime() } : {}),
  };
}
