// Characters a POSIX shell leaves alone; anything else gets single quotes so a copied command works.
const SAFE = /^[\w@%+=:,./-]+$/;

/** Quotes one argument for sh/bash/zsh, for commands shown to be copied (never for executing). */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
