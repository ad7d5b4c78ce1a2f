/**
 * The environment of one supervised child, built from the credentials verified as `candidateId`:
 * what its delivery mode hands over (endpoint, variables or profile), its region, and the colour
 * settings of our terminal. Shared by the one-command slot and the Procfile's children.
 */
import type { Delivery } from '../config/options.js';
import { buildChildEnv, type ChildEndpoint } from '../delivery/child-env.js';
import { getChildColorEnv } from '../terminal/color-env.js';
import type { ChildrenConfig } from './children.js';

export function supervisedChildEnv(
  config: Pick<ChildrenConfig, 'options' | 'env' | 'candidates' | 'stderr'>,
  candidateId: number,
  /** What the child is handed; `profile`: one the route found it reads itself (cdk.json, its flags). */
  handed: { delivery: Delivery; profile?: string | undefined },
  /** The endpoint's URL and the token file this child presents (a Procfile child has its own). */
  endpoint: ChildEndpoint | undefined,
): Record<string, string> {
  const { options, env: baseEnv } = config;
  const { delivery } = handed;
  const resolved = config.candidates.get(candidateId);
  const region = config.candidates.regionFor(candidateId);
  const profile = handed.profile ?? options.profile ?? baseEnv.AWS_PROFILE;
  const env = buildChildEnv({
    baseEnv,
    delivery,
    ...(endpoint ? { endpoint: { url: endpoint.url, tokenFile: endpoint.tokenFile } } : {}),
    ...(resolved ? { credentials: resolved.credentials } : {}),
    ...(profile ? { profile } : {}),
    ...(region ? { region } : {}),
    neutralConfigDir: options.stateDir,
  });
  return { ...env, ...getChildColorEnv(config.stderr, baseEnv) };
}
