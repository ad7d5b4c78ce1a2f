/**
 * What `exec`'s command is handed: a command that reads a profile itself (cdk.json's, its own
 * --profile) gets that profile with the person's own AWS files; otherwise the credentials per
 * `--delivery`. The route decides, as for `watch`.
 */
import { childDelivery } from '../compat/credential-route.js';
import { inspectCommand } from '../compat/inspect-command.js';
import type { Verification } from '../verify/resolve-and-verify.js';
import { type Delivered, deliverCredentials } from './deliver-credentials.js';
import type { ExecRun } from './exec-run.js';

export type Verified = Extract<Verification, { ok: true }>;

export async function handCredentials(run: ExecRun, verified: Verified): Promise<Delivered> {
  const { options, io } = run;
  const { route } = await inspectCommand({
    command: run.command,
    cwd: io.cwd,
    env: io.env,
    delivery: options.delivery,
    profile: run.childProfile,
  });
  const handed = childDelivery(route, options.delivery);
  if (route.kind === 'profile' && options.delivery !== 'profile') run.say(`cred-supervisor: ${route.why}`);
  return deliverCredentials({
    delivery: handed.delivery,
    credentials: verified.resolved.credentials,
    region: verified.region.region,
    baseEnv: io.env,
    stateDir: options.stateDir,
    profile: handed.profile ?? run.childProfile,
  });
}
