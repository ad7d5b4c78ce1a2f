/**
 * The `name | ` prefix of each child's lines, as foreman and overmind print it: names padded to the
 * longest so the output columns line up, one colour per name when colour is on. Pure.
 */

/** The 6 basic ANSI foreground colours that read on dark and light terminals (no black/white). */
const COLOURS = [36, 33, 32, 35, 34, 31] as const;

export interface PrefixOptions {
  colour: boolean;
}

export function buildPrefixes(names: readonly string[], options: PrefixOptions): Map<string, string> {
  const width = Math.max(0, ...names.map((name) => name.length));
  const prefixes = new Map<string, string>();
  names.forEach((name, index) => {
    const label = `${name.padEnd(width)} | `;
    const code = COLOURS[index % COLOURS.length];
    prefixes.set(name, options.colour ? `\u001b[${code}m${label}\u001b[0m` : label);
  });
  return prefixes;
}

/**
 * Colour follows the conventions every CLI of this field honours: `NO_COLOR` (any non-empty value)
 * turns it off, `FORCE_COLOR` (not `0`) turns it on, else only when the output is a terminal.
 */
export function prefixColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY;
}
