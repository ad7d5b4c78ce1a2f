/**
 * POSIX env lines, the subset `aws configure export-credentials --format env` prints and people
 * hand-write: `[export ]NAME=VALUE` with the value bare, 'single-' or "double-quoted"; comments and
 * blank lines. Nothing is expanded or executed: a `$` or a backtick is refused, not interpreted.
 *
 * Problems name the line number and, for AWS_* variables, the variable; never the line's content,
 * which may be a secret.
 */
import { CredentialProblem } from './errors.js';

export interface EnvAssignment {
  name: string;
  value: string;
  /** 1-based. */
  line: number;
  /** The last line, with no newline after it: the writer may not be done with it. */
  mayBeIncomplete: boolean;
}

const ASSIGNMENT_START = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/;
const AFTER_VALUE = /^\s*(?:#.*)?$/;

/**
 * `AWS_SESSION_TOKEN` (or `aws_session_token`) for AWS variables; other names are not shown (they could
 * be anything, even a pasted secret).
 */
export function displayName(name: string): string {
  return /^AWS_[A-Z0-9_]*$/i.test(name) ? name : 'the variable';
}

type ValueScan = { value: string; end: number } | { error: string; cut?: boolean };

function scanSingleQuoted(rest: string, start: number): ValueScan {
  const close = rest.indexOf("'", start + 1);
  if (close === -1) return { error: 'has an unterminated quote', cut: true };
  return { value: rest.slice(start + 1, close), end: close + 1 };
}

function scanDoubleQuoted(rest: string, start: number): ValueScan {
  let value = '';
  for (let i = start + 1; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '"') return { value, end: i + 1 };
    if (ch === '$' || ch === '`')
      return { error: 'uses shell expansion (`$` or a backtick); write the value itself' };
    if (ch === '\\') {
      const next = rest[i + 1];
      // Inside double quotes a backslash only escapes these; before anything else it stays (POSIX).
      if (next !== undefined && '"\\$`'.includes(next)) {
        value += next;
        i++;
        continue;
      }
    }
    value += ch;
  }
  return { error: 'has an unterminated quote', cut: true };
}

function scanBare(rest: string, start: number): ValueScan {
  let i = start;
  while (i < rest.length && !/\s/.test(rest[i] as string)) {
    const ch = rest[i] as string;
    if (ch === '"' || ch === "'") return { error: 'has a quote inside an unquoted value' };
    if (ch === '$' || ch === '`')
      return { error: 'uses shell expansion (`$` or a backtick); write the value itself' };
    if (ch === '\\') return { error: 'has a backslash in an unquoted value; quote the value' };
    if (';&|<>()'.includes(ch)) return { error: 'has shell syntax after the value; one assignment per line' };
    i++;
  }
  return { value: rest.slice(start, i), end: i };
}

function spacesAroundEquals(line: number, name: string): CredentialProblem {
  return new CredentialProblem(
    'MALFORMED',
    `line ${line}: ${displayName(name)} has spaces around \`=\`; write NAME=VALUE with none, as the shell requires.`,
  );
}

function notAnAssignment(raw: string, line: number, cut: boolean): CredentialProblem {
  if (/^\s*set\s+AWS_/i.test(raw)) {
    return new CredentialProblem(
      'MALFORMED',
      `line ${line} uses Windows \`set\` syntax; write POSIX env lines (\`--format env\`, not \`windows-cmd\`).`,
    );
  }
  if (/^\s*\$env:AWS_/i.test(raw)) {
    return new CredentialProblem(
      'MALFORMED',
      `line ${line} uses PowerShell syntax; write POSIX env lines (\`--format env\`, not \`powershell\`).`,
    );
  }
  const spaced = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s+=/.exec(raw);
  if (spaced) return spacesAroundEquals(line, spaced[1] as string);
  if (cut) {
    return new CredentialProblem(
      'NOT_READY',
      `line ${line} is incomplete; the file seems to be still being written.`,
    );
  }
  return new CredentialProblem('MALFORMED', `line ${line} is not a NAME=VALUE assignment.`);
}

export function parseEnvLines(text: string): EnvAssignment[] | CredentialProblem {
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  const assignments: EnvAssignment[] = [];
  for (const [index, rawLine] of lines.entries()) {
    const raw = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const line = index + 1;
    const isLast = index === lines.length - 1;
    if (isLast && endsWithNewline) break; // the empty string after the final newline
    const mayBeIncomplete = isLast && !endsWithNewline;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;

    const start = ASSIGNMENT_START.exec(raw);
    if (!start) return notAnAssignment(raw, line, mayBeIncomplete);
    const name = start[1] as string;
    const rest = raw.slice(start[0].length);
    const first = rest[0];
    const scan =
      first === "'"
        ? scanSingleQuoted(rest, 0)
        : first === '"'
          ? scanDoubleQuoted(rest, 0)
          : scanBare(rest, 0);
    if ('error' in scan) {
      const code = scan.cut && mayBeIncomplete ? 'NOT_READY' : 'MALFORMED';
      const tail = code === 'NOT_READY' ? '; the file seems to be still being written' : '';
      return new CredentialProblem(code, `line ${line}: ${displayName(name)} ${scan.error}${tail}.`);
    }
    if (!AFTER_VALUE.test(rest.slice(scan.end))) {
      if (scan.end === 0) return spacesAroundEquals(line, name);
      return new CredentialProblem(
        'MALFORMED',
        `line ${line}: ${displayName(name)} has more after its value; quote values that contain spaces.`,
      );
    }
    assignments.push({ name, value: scan.value, line, mayBeIncomplete });
  }
  return assignments;
}
