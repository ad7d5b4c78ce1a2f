/**
 * Verifies one set of credentials with STS GetCallerIdentity: `check` runs it, and the supervisor runs
 * it before every start and restart and on its scheduled probe. Part of the public API.
 */
import { formatDuration } from '../config/duration.js';
import type { AwsCredentials } from '../credentials/types.js';
import { registerCredentialSecrets, scrubSecrets } from '../logging/redact.js';
import { classifyStsError } from './classify-sts-error.js';
import { expiredBeforeAsking, judgeIdentity, missingKeys } from './identity-rules.js';
import { resolveRegion } from './region.js';
import { createStsClient, loadStsSdk } from './sts-client.js';
import type { VerificationFailure, VerificationResult } from './verification-result.js';

/** The whole verification, retries included, gives up after this: `check` must answer fast. */
export const DEFAULT_VERIFY_DEADLINE_MS = 5_000;

export interface VerifyOptions {
  /** The region to sign for; else `AWS_REGION`, `AWS_DEFAULT_REGION` (from `env`), then `us-east-1`. */
  region?: string | undefined;
  /** Refuse credentials for any other account. */
  expectAccount?: string | undefined;
  /** The clock, for expiry decisions and `timeLeftMs`. */
  now?: (() => Date) | undefined;
  /** For the region fallback; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** An STS endpoint overriding `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` (tests, the demo). */
  endpoint?: string | undefined;
  /** Per-attempt connect and answer timeout (default 3 s). */
  timeoutMs?: number | undefined;
  /** Attempts including the first (default 2). */
  maxAttempts?: number | undefined;
  /** Overall deadline across attempts (default 5 s). */
  deadlineMs?: number | undefined;
  /** Abandons the call (the supervisor stopping); reported as a network failure. */
  signal?: AbortSignal | undefined;
}

export async function verifyCredentials(
  credentials: AwsCredentials,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  const now = options.now ?? (() => new Date());
  const { region } = resolveRegion({ option: options.region, env: options.env ?? process.env });
  const early = missingKeys(credentials, region) ?? expiredBeforeAsking(credentials, now(), region);
  if (early) return early;

  const [{ GetCallerIdentityCommand }, { client }] = await Promise.all([
    loadStsSdk(),
    createStsClient(credentials, { ...options, region }),
  ]);
  const deadlineMs = options.deadlineMs ?? DEFAULT_VERIFY_DEADLINE_MS;
  const deadline = AbortSignal.timeout(deadlineMs);
  const abortSignal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  try {
    const answer = await client.send(new GetCallerIdentityCommand({}), { abortSignal });
    return judgeIdentity(answer, { credentials, region, expectAccount: options.expectAccount, now: now() });
  } catch (error) {
    if (options.signal?.aborted) return cancelled(region);
    const failure = classifyStsError(error);
    const message = deadline.aborted
      ? `STS did not answer within ${formatDuration(deadlineMs)}, retries included (${failure.code ?? 'AbortError'}).`
      : failure.message;
    // Credentials handed in by a caller that did not resolve them are known secrets from here on.
    registerCredentialSecrets(credentials);
    return { ok: false, ...failure, message: scrubSecrets(message), region };
  } finally {
    client.destroy();
  }
}

/** The caller gave up (the supervisor stopping): not a verdict on the credentials. */
function cancelled(region: string): VerificationFailure {
  return {
    ok: false,
    reason: 'network',
    code: 'ABORTED',
    region,
    message: 'The STS call was cancelled before STS answered.',
    fix: 'Nothing to do: verification runs again when needed.',
  };
}
