/**
 * Which children of a multi-process `watch` a credential restart (the machine's `stop-child` with
 * reason `restart`) really needs to stop. Pure. The machine decides *that* a restart is needed; this
 * decides *who*: the children whose output showed a credential error and those
 * that took their credentials once (env delivery: a restart is how they get the new ones); the
 * endpoint serves the others. When neither applies, all of them (a reason this cannot see).
 */
export interface RestartCandidate {
  name: string;
  /** Its output showed a credential error since it started. */
  tainted: boolean;
  /** It got its credentials as environment variables at spawn. */
  envDelivery: boolean;
}

export function selectRestart(children: readonly RestartCandidate[]): string[] {
  const needed = children.filter((child) => child.tainted || child.envDelivery);
  return (needed.length > 0 ? needed : children).map((child) => child.name);
}
