/**
 * Renewing the SSO access token with the cached refresh token (SSO-OIDC CreateToken, refresh_token
 * grant) and writing the result back as the AWS CLI does — the SDK does the same silently while the
 * SSO session lives. The answer says whether the refresh token still works: a rejected one means the
 * SSO session has ended and only a new login helps.
 */
import { CredentialProblem } from '../credentials/errors.js';
import { isNetworkError } from '../credentials/profile-problem.js';
import { type SsoCacheEntry, writeSsoCache } from './sso-cache.js';
import type { SsoProfile } from './sso-profile.js';

export type SsoRefreshResult =
  | { kind: 'refreshed'; expiresAt: Date }
  /** Nothing to refresh with: no refresh token or client in the cache, or the client registration expired. */
  | { kind: 'not-refreshable'; why: string }
  /** IAM Identity Center refused the refresh token: the SSO session has ended. */
  | { kind: 'session-ended' };

const SESSION_ENDED = new Set([
  'InvalidGrantException',
  'InvalidClientException',
  'UnauthorizedClientException',
]);

export async function refreshSsoToken(
  profile: SsoProfile,
  cacheFile: string,
  entry: SsoCacheEntry,
  now: () => Date = () => new Date(),
): Promise<SsoRefreshResult> {
  const { token } = entry;
  if (!token.refreshToken || !token.clientId || !token.clientSecret || !token.registrationExpiresAt) {
    return { kind: 'not-refreshable', why: 'the cached login has no refresh token' };
  }
  const registrationExpiresAt = new Date(token.registrationExpiresAt);
  if (registrationExpiresAt.getTime() <= now().getTime()) {
    return { kind: 'not-refreshable', why: 'the cached client registration has expired' };
  }
  // Imported when a refresh is due: most supervisors never refresh an SSO token.
  const { CreateTokenCommand, SSOOIDCClient } = await import('@aws-sdk/client-sso-oidc');
  const client = new SSOOIDCClient({ region: profile.ssoRegion });
  try {
    const answer = await client.send(
      new CreateTokenCommand({
        grantType: 'refresh_token',
        clientId: token.clientId,
        clientSecret: token.clientSecret,
        refreshToken: token.refreshToken,
      }),
    );
    if (!answer.accessToken || answer.expiresIn === undefined) return { kind: 'session-ended' };
    const expiresAt = new Date(now().getTime() + answer.expiresIn * 1000);
    await writeSsoCache(cacheFile, {
      startUrl: token.startUrl ?? profile.startUrl,
      region: token.region ?? profile.ssoRegion,
      accessToken: answer.accessToken,
      expiresAt,
      clientId: token.clientId,
      clientSecret: token.clientSecret,
      registrationExpiresAt,
      refreshToken: answer.refreshToken ?? token.refreshToken,
    });
    return { kind: 'refreshed', expiresAt };
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string };
    if (e.name && SESSION_ENDED.has(e.name)) return { kind: 'session-ended' };
    if (isNetworkError(e)) {
      throw new CredentialProblem(
        'NETWORK',
        `Profile ${profile.profile}: could not reach IAM Identity Center in ${profile.ssoRegion} to refresh the SSO token (${e.code ?? e.name ?? 'error'}).`,
        'Check the network or VPN; this is retried, it does not mean the session ended.',
      );
    }
    throw new CredentialProblem(
      'PROFILE_FAILED',
      `Profile ${profile.profile}: IAM Identity Center refused to refresh the SSO token (${e.name ?? 'error'}).`,
      'Log in again: cred-supervisor login',
    );
  } finally {
    client.destroy();
  }
}
