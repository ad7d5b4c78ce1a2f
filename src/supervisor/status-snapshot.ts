import type { SupervisorState, SupervisorStatus } from './types.js';

/** The `status --json` shape (PRODUCT.md, "Background and team use"). No secret in it. */
export interface StatusSnapshot {
  state: SupervisorStatus;
  pid: number;
  child: { pid: number | null; restarts: number; startedAt: string | null } | null;
  credentials: { account: string; arn: string; expiresAt: string | null; source: string } | null;
  lastError: string | null;
}

export function snapshotStatus(state: SupervisorState, supervisorPid: number): StatusSnapshot {
  const { child, credentials } = state;
  return {
    state: state.status,
    pid: supervisorPid,
    child: child
      ? {
          pid: child.pid,
          restarts: state.restarts,
          startedAt: child.startedAt === null ? null : new Date(child.startedAt).toISOString(),
        }
      : null,
    credentials: credentials
      ? {
          account: credentials.account,
          arn: credentials.arn,
          expiresAt: credentials.expiresAt === null ? null : new Date(credentials.expiresAt).toISOString(),
          source: credentials.source,
        }
      : null,
    lastError: state.lastError,
  };
}
