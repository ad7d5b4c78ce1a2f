/**
 * Parses a Procfile (foreman format: `name: command`, `#` comments, blank lines ignored). Pure: the
 * caller reads the file. Unlike foreman, which silently skips a line it cannot read, every problem is
 * reported with its line and the fix, and nothing starts until the file is right: a dev loop that
 * quietly runs two of its three processes is worse than one that refuses.
 */
import { DEFAULT_RESTART_POLICY, PROCESS_NAME_PATTERN, type ProcessSpec } from './process-spec.js';

export type ProcfileResult = { ok: true; processes: ProcessSpec[] } | { ok: false; problems: string[] };

/** `name: command`; the name is checked separately so a bad name gets its own message. */
const ENTRY = /^([^:\s#][^:]*?)\s*:\s*(.*)$/;

export function parseProcfile(text: string, fileName: string): ProcfileResult {
  const problems: string[] = [];
  const processes: ProcessSpec[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const where = `${fileName}:${lineNumber}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;

    const match = ENTRY.exec(line);
    if (!match) {
      problems.push(
        `${where}: this line has no \`name:\` in front of its command. Write it as \`name: command\`, e.g. \`cdk: npx cdk watch --hotswap-fallback\`, or start it with # to make it a comment.`,
      );
      return;
    }
    const name = match[1] ?? '';
    const command = (match[2] ?? '').trim();
    if (!PROCESS_NAME_PATTERN.test(name)) {
      problems.push(
        `${where}: the name \`${name}\` may hold only letters, digits, \`_\` and \`-\` (it becomes the output prefix and \`cred-supervisor restart NAME\`). Rename it, e.g. \`${suggestName(name)}\`.`,
      );
      return;
    }
    if (command === '') {
      problems.push(
        `${where}: \`${name}\` has no command after the colon. Add the command to run, e.g. \`${name}: npm run dev\`.`,
      );
      return;
    }
    const earlier = firstLineOf.get(name);
    if (earlier !== undefined) {
      problems.push(
        `${where}: the name \`${name}\` is already used on line ${earlier}. Each process needs its own name; rename one of them, e.g. \`${name}-2\`.`,
      );
      return;
    }
    firstLineOf.set(name, lineNumber);
    processes.push({ name, command, restart: DEFAULT_RESTART_POLICY, origin: where });
  });

  if (problems.length > 0) return { ok: false, problems };
  if (processes.length === 0) {
    return {
      ok: false,
      problems: [
        `${fileName}: no process is declared (the file is empty or only comments). Add one line per process, e.g. \`cdk: npx cdk watch --hotswap-fallback\`.`,
      ],
    };
  }
  return { ok: true, processes };
}

/** A valid name close to what was written: spaces and other characters become `-`. */
function suggestName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return cleaned === '' ? 'web' : cleaned;
}
