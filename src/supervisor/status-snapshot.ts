import type { ChildStatusJson, StatusSnapshot } from '../control/status.js';
import { type ChosenRegion, describeRegionOrigin } from '../verify/region.js';

export type { StatusSnapshot } from '../control/status.js';

import type { SupervisorState } from './types.js';

/** What `status` adds to the machine's state once the supervisor knows it. */
export interface StatusExtras {
  /** The region the child gets; only once the set-up's facts are read (before, the rule lacks the profile's). */
  region?: ChosenRegion | undefined;
  /** With several commands: each one, as `status` lists them. */
  children?: ChildStatusJson[] | undefined;
}

/** The machine's state as `status --json` reports it (docs/usage.md "Background and team use"). No secret. */
export function snapshotStatus(
  state: SupervisorState,
  supervisorPid: number,
  { region, children }: StatusExtras = {},
): StatusSnapshot {
  const { child, credentials } = state;
  return {
    state: state.status,
    pid: supervisorPid,
    child: {
      pid: child?.pid ?? null,
      restarts: state.restarts,
      startedAt: child?.startedAt == null ? null : new Date(child.startedAt).toISOString(),
    },
    credentials: {
      account: credentials?.account ?? null,
      arn: credentials?.arn ?? null,
      expiresAt: credentials?.expiresAt == null ? null : new Date(credentials.expiresAt).toISOString(),
      source: credentials?.source ?? null,
    },
    ...(region ? { region: { name: region.region, from: describeRegionOrigin(region) } } : {}),
    lastError: state.lastError,
    ...(children ? { children } : {}),
  };
}
