/**
 * The SSO login without the AWS CLI v2 (v1 has no `aws sso login`; a CDK project needs no AWS CLI at
 * all): the OAuth device authorization flow through the SDK's SSO-OIDC client, as the CLI runs it —
 * RegisterClient, StartDeviceAuthorization, then CreateToken polled every `interval` seconds (five more
 * after a SlowDownException) until the person approves in the browser — and the token written to the SSO
 * cache exactly as the CLI writes it, so every tool on the machine uses it.
 *
 * The person is shown the verification URL and the code (`onPending`); no browser is opened from here.
 */

import { setTimeout as delay } from 'node:timers/promises';
import { CredentialProblem } from '../credentials/errors.js';
import { isNetworkError } from '../credentials/profile-problem.js';
import { writeSsoCache } from './sso-cache.js';
import { ssoCacheFile } from './sso-cache-path.js';
import type { SsoProfile } from './sso-profile.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const SLOW_DOWN_EXTRA_SECONDS = 5;
const DEFAULT_INTERVAL_SECONDS = 5;

/** What the person needs to approve the login: shown on a terminal, a tmux popup, a notification. */
export interface PendingAuthorization {
  verificationUri: string;
  verificationUriComplete: string;
  userCode: string;
  expiresAt: Date;
}

export interface DeviceLoginOptions {
  onPending: (pending: PendingAuthorization) => void;
  /** Gives up (the supervisor stops, the person pressed Ctrl+C). */
  signal?: AbortSignal;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

function loginProblem(profile: SsoProfile, problem: string, fix: string): CredentialProblem {
  return new CredentialProblem('SSO_EXPIRED', `SSO login for profile ${profile.profile}: ${problem}`, fix);
}

const AGAIN = 'Run `cred-supervisor login` to start a new one.';

/** Why a CreateToken poll ended the login, or undefined when polling goes on. */
function pollVerdict(profile: SsoProfile, error: unknown): 'pending' | 'slow-down' | CredentialProblem {
  const name = (error as { name?: string }).name;
  switch (name) {
    case 'AuthorizationPendingException':
      return 'pending';
    case 'SlowDownException':
      return 'slow-down';
    case 'ExpiredTokenException':
      return loginProblem(profile, 'the code was not approved in time (the device code expired).', AGAIN);
    case 'AccessDeniedException':
      return loginProblem(profile, 'the login was denied or cancelled in the browser.', AGAIN);
    default:
      return failure(profile, error);
  }
}

function failure(profile: SsoProfile, error: unknown): CredentialProblem {
  if (error instanceof CredentialProblem) return error;
  const e = error as { name?: string; code?: string; message?: string };
  if (isNetworkError(e)) {
    return new CredentialProblem(
      'NETWORK',
      `SSO login for profile ${profile.profile}: could not reach IAM Identity Center in ${profile.ssoRegion} (${e.code ?? e.name ?? 'error'}).`,
      'Check the network or VPN, then try again.',
    );
  }
  return loginProblem(profile, `IAM Identity Center answered ${e.name ?? 'an error'}.`, AGAIN);
}

/** Runs the whole flow and writes the cache; resolves with the cache file written. */
export async function runDeviceLogin(profile: SsoProfile, options: DeviceLoginOptions): Promise<string> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const { signal } = options;
  // Imported when a login runs: a supervisor that never logs in keeps the SSO-OIDC client out of memory.
  const { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } =
    await import('@aws-sdk/client-sso-oidc');
  const client = new SSOOIDCClient({ region: profile.ssoRegion });
  try {
    const sessionName = profile.identity.kind === 'session' ? profile.identity.sessionName : undefined;
    const registration = await client
      .send(
        new RegisterClientCommand({
          clientName: `cred-supervisor-${sessionName ?? Math.floor(now().getTime() / 1000)}`,
          clientType: 'public',
          ...(profile.registrationScopes && { scopes: profile.registrationScopes }),
        }),
        { abortSignal: signal },
      )
      .catch((error: unknown) => {
        throw failure(profile, error);
      });
    const { clientId, clientSecret, clientSecretExpiresAt } = registration;
    if (!clientId || !clientSecret || clientSecretExpiresAt === undefined) {
      throw loginProblem(profile, 'RegisterClient returned no client.', AGAIN);
    }
    const authorization = await client
      .send(new StartDeviceAuthorizationCommand({ clientId, clientSecret, startUrl: profile.startUrl }), {
        abortSignal: signal,
      })
      .catch((error: unknown) => {
        throw failure(profile, error);
      });
    const { deviceCode, userCode, verificationUri, verificationUriComplete, expiresIn } = authorization;
    if (!deviceCode || !userCode || !verificationUri) {
      throw loginProblem(profile, 'StartDeviceAuthorization returned no device code.', AGAIN);
    }
    let intervalSeconds = authorization.interval ?? DEFAULT_INTERVAL_SECONDS;
    let announced = false;
    for (;;) {
      try {
        const token = await client.send(
          new CreateTokenCommand({ clientId, clientSecret, grantType: DEVICE_CODE_GRANT, deviceCode }),
          { abortSignal: signal },
        );
        if (!token.accessToken || token.expiresIn === undefined) {
          throw loginProblem(profile, 'CreateToken returned no access token.', AGAIN);
        }
        const file = ssoCacheFile(profile.identity, options.env);
        await writeSsoCache(file, {
          startUrl: profile.startUrl,
          region: profile.ssoRegion,
          accessToken: token.accessToken,
          expiresAt: new Date(now().getTime() + token.expiresIn * 1000),
          clientId,
          clientSecret,
          registrationExpiresAt: new Date(clientSecretExpiresAt * 1000),
          ...(token.refreshToken && { refreshToken: token.refreshToken }),
        });
        return file;
      } catch (error) {
        if (signal?.aborted) {
          throw loginProblem(profile, 'the login was cancelled before it was approved.', AGAIN);
        }
        const verdict = pollVerdict(profile, error);
        if (verdict instanceof CredentialProblem) throw verdict;
        if (verdict === 'slow-down') intervalSeconds += SLOW_DOWN_EXTRA_SECONDS;
      }
      // Like the CLI: one CreateToken first (the client may be pre-approved), then show the code.
      if (!announced) {
        announced = true;
        options.onPending({
          verificationUri,
          verificationUriComplete: verificationUriComplete ?? verificationUri,
          userCode,
          expiresAt: new Date(now().getTime() + (expiresIn ?? 600) * 1000),
        });
      }
      try {
        await sleep(intervalSeconds * 1000, signal);
      } catch {
        throw loginProblem(profile, 'the login was cancelled before it was approved.', AGAIN);
      }
    }
  } finally {
    client.destroy();
  }
}
