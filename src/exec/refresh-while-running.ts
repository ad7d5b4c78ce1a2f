/**
 * With endpoint delivery, `exec` refreshes the credentials ahead of expiry while the command runs,
 * so a long deploy survives a rotation: the same sources, the same checks, served by the endpoint.
 */
import type { AwsCredentials } from '../credentials/types.js';
import type { CredentialEndpoint } from '../delivery/credential-endpoint.js';
import { registerSecret } from '../logging/redact.js';
import { verifyCredentials } from '../verify/verify-credentials.js';
import { type CredentialRefresher, startCredentialRefresher } from './credential-refresher.js';
import type { ExecRun } from './exec-run.js';
import type { Verified } from './hand-credentials.js';
import { reportRefresh } from './refresh-report.js';

export function refreshWhileRunning(
  run: ExecRun,
  verified: Verified,
  endpoint: Pick<CredentialEndpoint, 'serve'>,
): CredentialRefresher {
  const { options, io } = run;
  const region = verified.region.region;
  return startCredentialRefresher({
    inUse: { resolved: verified.resolved, account: verified.identity.account },
    refreshBeforeMs: options.refreshBeforeMs,
    stopBeforeMs: options.stopBeforeMs,
    // No MFA prompt here: the command owns the terminal now.
    resolve: verified.resolveAgain,
    verify: (candidate: AwsCredentials) =>
      verifyCredentials(candidate, { region, expectAccount: options.expectAccount, env: io.env }),
    serve: (fresh) => {
      registerSecret(fresh.secretAccessKey);
      registerSecret(fresh.sessionToken);
      endpoint.serve(fresh);
    },
    onEvent: (event) => reportRefresh(run, event),
  });
}
