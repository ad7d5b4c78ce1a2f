/** Lines that already keep `dir` out of git, in the spellings people use. */
function ignoresDir(line: string, dir: string): boolean {
  const pattern = line
    .trim()
    .replace(/^\//, '')
    .replace(/\/(\*\*?)?$/, '');
  return pattern === dir;
}

export interface GitignoreEdit {
  text: string;
  changed: boolean;
}

/**
 * `.gitignore` content that ignores `dir` (e.g. `.cred-supervisor`): unchanged when a line already
 * does, else with a commented entry appended. Keeps the file's line endings, and adds the newline a
 * last line may lack so the entry does not join it.
 */
export function addGitignoreEntry(existing: string | null, dir: string): GitignoreEdit {
  const text = existing ?? '';
  const lines = text.split(/\r?\n/);
  if (lines.some((line) => ignoresDir(line, dir))) return { text, changed: false };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  const entry = `# cred-supervisor: lock, control socket, log and credentials; never commit them${eol}${dir}/${eol}`;
  return { text: `${text}${separator}${entry}`, changed: true };
}
