/**
 * Builds the STS client `check` and the supervisor's probes use. The SDK is imported lazily so
 * `cred-supervisor --version` and `--help` never pay for loading it.
 *
 * The endpoint is left to the SDK, which honours `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then
 * a profile's `endpoint_url` (and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`); `endpoint` overrides all of
 * them, for tests and the demo.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../credentials/types.js';
import { type ChosenRegion, resolveRegion } from './region.js';

/** Per attempt, for connecting and for the whole answer: STS answers in well under a second. */
export const DEFAULT_STS_TIMEOUT_MS = 3_000;
/** One retry absorbs a dropped connection or a throttled call without making `check` slow. */
export const DEFAULT_STS_MAX_ATTEMPTS = 2;

export interface StsClientOptions {
  /** The region to sign for; else `AWS_REGION`, `AWS_DEFAULT_REGION`, then `us-east-1`. */
  region?: string | undefined;
  /** Consulted for the region fallback only; the SDK reads endpoint settings from `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Overrides every configured STS endpoint. */
  endpoint?: string | undefined;
  timeoutMs?: number | undefined;
  maxAttempts?: number | undefined;
}

export interface BuiltStsClient {
  client: STSClient;
  /** The region used, and where it came from. */
  region: ChosenRegion;
}

type StsModule = typeof import('@aws-sdk/client-sts');
let sdk: Promise<StsModule> | undefined;

/** The `@aws-sdk/client-sts` module, imported on first use only. */
export function loadStsSdk(): Promise<StsModule> {
  sdk ??= import('@aws-sdk/client-sts');
  return sdk;
}

export async function createStsClient(
  credentials: AwsCredentials,
  options: StsClientOptions = {},
): Promise<BuiltStsClient> {
  const { STSClient } = await loadStsSdk();
  const region = resolveRegion({ option: options.region, env: options.env ?? process.env });
  const timeoutMs = options.timeoutMs ?? DEFAULT_STS_TIMEOUT_MS;
  const client = new STSClient({
    region: region.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_STS_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      // Without this the SDK only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    },
    // Only the keys: an `expiration` would let the SDK judge expiry itself, and we want STS's word
    // (the caller checks the known expiration before calling).
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
  });
  return { client, region };
}
