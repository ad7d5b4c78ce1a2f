/**
 * How the command `watch` runs will get credentials, and so how a rotation reaches it: the one
 * decision `check` reports and `watch` acts on. Pure; the facts (CDK CLI version, profiles named by
 * cdk.json or the command) are found by the callers.
 */
import type { Delivery } from '../config/options.js';
import { CDK_MID_RUN_REFRESH, type CdkVersion, isVersionAtLeast } from './cdk-version.js';

export type CredentialRoute =
  /** The child's SDK asks the loopback endpoint and asks again before expiry: rotations need nothing. */
  | { kind: 'endpoint'; client: string; why: string }
  /** The child reads a profile itself and refreshes from it. */
  | { kind: 'profile'; profile: string; from: 'cdk.json' | 'command' | 'option'; why: string }
  /** The child takes credentials once: every rotation is a restart. */
  | { kind: 'restart'; client: string; why: string };

export interface RouteFacts {
  delivery: Delivery;
  /** The command watch runs (after the default is applied). */
  command: readonly string[];
  /** The command is the CDK CLI (its resolved binary is `cdk`). */
  isCdk: boolean;
  /** Its version, when it is the CDK CLI and the version could be found. */
  cdkVersion?: CdkVersion | undefined;
  /** `--profile` in the command's own arguments. */
  commandProfile?: string | undefined;
  /** `"profile"` in cdk.json. */
  cdkJsonProfile?: string | undefined;
  /** The profile `--delivery profile` hands over. */
  profile?: string | undefined;
}

export function decideCredentialRoute(facts: RouteFacts): CredentialRoute {
  const client = describeClient(facts);
  const named = facts.commandProfile ?? facts.cdkJsonProfile;
  if (named !== undefined) {
    const from = facts.commandProfile !== undefined ? ('command' as const) : ('cdk.json' as const);
    const where = from === 'command' ? 'its own `--profile`' : "cdk.json's `profile`";
    return {
      kind: 'profile',
      profile: named,
      from,
      why: `${client} reads profile ${named} itself (${where}) and ignores what cred-supervisor serves; it refreshes from that profile.`,
    };
  }
  switch (facts.delivery) {
    case 'profile':
      return {
        kind: 'profile',
        profile: facts.profile ?? 'default',
        from: 'option',
        why: `--delivery profile: ${client} gets AWS_PROFILE and refreshes from the profile itself.`,
      };
    case 'env':
      return {
        kind: 'restart',
        client,
        why: '--delivery env: the keys are fixed in its environment at start, so every rotation restarts it.',
      };
    case 'endpoint':
      return endpointRoute(facts, client);
    default: {
      const unknown: never = facts.delivery;
      throw new Error(`Expected a delivery mode, got \`${String(unknown)}\``);
    }
  }
}

/**
 * What the child is handed on this route. On `profile` the child reads that profile itself (the CDK
 * CLI with cdk.json's `profile` uses `fromIni` alone), so it keeps the person's own AWS files and gets
 * `AWS_PROFILE`, whatever `--delivery` says: neutral files would leave it no profile to read.
 */
export function childDelivery(
  route: CredentialRoute,
  chosen: Delivery,
): { delivery: Delivery; profile?: string | undefined } {
  return route.kind === 'profile' ? { delivery: 'profile', profile: route.profile } : { delivery: chosen };
}

function endpointRoute(facts: RouteFacts, client: string): CredentialRoute {
  if (facts.isCdk && facts.cdkVersion) {
    if (isVersionAtLeast(facts.cdkVersion.version, CDK_MID_RUN_REFRESH)) {
      return {
        kind: 'endpoint',
        client,
        why: `${client} asks the credentials endpoint again before expiry (${CDK_MID_RUN_REFRESH} and later), so rotations reach it without a restart.`,
      };
    }
    return {
      kind: 'restart',
      client,
      why: `${client} resolves credentials once (releases before ${CDK_MID_RUN_REFRESH} never refresh), so it is restarted when fresh credentials replace the ones it started with. Upgrade aws-cdk to avoid the restarts.`,
    };
  }
  const unknown = facts.isCdk ? ' (its version could not be found)' : '';
  return {
    kind: 'endpoint',
    client,
    why: `${client}${unknown} gets credentials from the loopback endpoint, as every AWS SDK does when its environment points there; an SDK re-asks before expiry.`,
  };
}

function describeClient(facts: RouteFacts): string {
  if (facts.isCdk) return facts.cdkVersion ? `CDK CLI ${facts.cdkVersion.version}` : 'the CDK CLI';
  return `\`${facts.command[0] ?? 'the command'}\``;
}
