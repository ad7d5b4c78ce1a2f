/** The part of a terminal stream that decides colour (`process.stderr` fits). */
export interface ColorTerminal {
  isTTY?: boolean;
  getColorDepth?(): number;
}

/**
 * Variables to add to the child's environment so it keeps its colours. The child writes into a pipe
 * (ours), so it sees no TTY and would print plain text; when OUR terminal shows colours we say so with
 * `FORCE_COLOR` (honoured by chalk/supports-color, which the CDK CLI uses). The person's own choice
 * wins: an explicit `FORCE_COLOR` is passed on as it is, and `NO_COLOR` or `TERM=dumb` mean no colour.
 *
 * Pass the stream the child's output mostly goes to (the CDK CLI writes to stderr).
 */
export function getChildColorEnv(
  terminal: ColorTerminal,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  if (env.FORCE_COLOR !== undefined) return {};
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return {};
  if (env.TERM === 'dumb' || terminal.isTTY !== true) return {};
  const depth = terminal.getColorDepth?.() ?? 4;
  if (depth >= 24) return { FORCE_COLOR: '3' };
  if (depth >= 8) return { FORCE_COLOR: '2' };
  if (depth >= 4) return { FORCE_COLOR: '1' };
  return {};
}
