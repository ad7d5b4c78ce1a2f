/**
 * The command's environment per `--delivery`, and what has to run beside it for that:
 * - `endpoint`: a loopback credential endpoint in this run's private directory, the neutral AWS
 *   config next to it, and an environment that points the SDK there (and nowhere else);
 * - `env`: the keys themselves in the environment;
 * - `profile`: `AWS_PROFILE`; the command's SDK resolves (and refreshes) the profile itself.
 */
import type { Delivery } from '../config/options.js';
import type { AwsCredentials } from '../credentials/types.js';
import { buildChildEnv } from '../delivery/child-env.js';
import { type CredentialEndpoint, startCredentialEndpoint } from '../delivery/credential-endpoint.js';
import { writeNeutralAwsConfig } from '../delivery/neutral-aws-config.js';
import { createExecWorkspace, type ExecWorkspace } from './exec-workspace.js';

export interface DeliveryInput {
  delivery: Delivery;
  credentials: AwsCredentials;
  /** The region the credentials were verified in. */
  region: string;
  /** The environment the person started us with; inherited credential variables are removed. */
  baseEnv: NodeJS.ProcessEnv;
  /** Where the endpoint's private directory is made. */
  stateDir: string;
  /** For `profile`. */
  profile?: string | undefined;
}

export interface Delivered {
  env: Record<string, string>;
  /** With `endpoint` delivery: where fresher credentials are served. */
  endpoint?: CredentialEndpoint;
  /** Stops the endpoint and removes the private directory; never throws. */
  close(): Promise<void>;
}

export async function deliverCredentials(input: DeliveryInput): Promise<Delivered> {
  const { baseEnv, credentials, region } = input;
  if (input.delivery === 'env') {
    return { env: buildChildEnv({ baseEnv, delivery: 'env', credentials, region }), close: async () => {} };
  }
  if (input.delivery === 'profile') {
    const env = buildChildEnv({ baseEnv, delivery: 'profile', profile: input.profile, region });
    return { env, close: async () => {} };
  }

  let workspace: ExecWorkspace | undefined;
  let endpoint: CredentialEndpoint | undefined;
  const close = async () => {
    await endpoint?.close().catch(() => undefined);
    await workspace?.remove();
  };
  try {
    workspace = await createExecWorkspace(input.stateDir);
    endpoint = await startCredentialEndpoint({ stateDir: workspace.dir, credentials });
    await writeNeutralAwsConfig({ dir: workspace.dir, region });
    const env = buildChildEnv({
      baseEnv,
      delivery: 'endpoint',
      endpoint: { url: endpoint.url, tokenFile: endpoint.tokenFile },
      neutralConfigDir: workspace.dir,
      region,
    });
    return { env, endpoint, close };
  } catch (error) {
    await close();
    throw error;
  }
}
