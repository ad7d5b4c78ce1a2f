import type { StatusRegion, StatusSnapshot } from '../control/status.js';

export type { StatusSnapshot } from '../control/status.js';

import type { SupervisorState } from './types.js';

/** The machine's state as `status --json` reports it (docs/usage.md "Background and team use"). No secret. */
export function snapshotStatus(
  state: SupervisorState,
  supervisorPid: number,
  region?: StatusRegion,
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
    ...(region ? { region } : {}),
    lastError: state.lastError,
  };
}
