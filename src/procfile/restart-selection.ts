/**
 * Which children of a multi-process `watch` a credential restart (the machine's `stop-child` with
 * reason `restart`) really needs to stop. Pure. The machine decides *that* a restart is needed; this
 * decides *who*: the child whose output showed a credential error confirmed by STS, else those that
 * took their credentials once (env delivery), else all of them (a reason this cannot see).
 */
export interface RestartCandidate {
  name: string;
  running: boolean;
  /** Its output showed a credential error since it started. */
  tainted: boolean;
  /** It got its credentials as environment variables at spawn. */
  envDelivery: boolean;
}

export function selectRestart(children: readonly RestartCandidate[]): string[] {
  const tainted = children.filter((child) => child.tainted);
  if (tainted.length > 0) return tainted.map((child) => child.name);
  const fixedAtSpawn = children.filter((child) => child.envDelivery);
  if (fixedAtSpawn.length > 0) return fixedAtSpawn.map((child) => child.name);
  return children.map((child) => child.name);
}
