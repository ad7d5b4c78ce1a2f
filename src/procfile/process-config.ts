/**
 * Validates the config file's `processes` key: name → command string, or an object with `command`,
 * `cwd`, `delivery`, `restart` (pm2's ecosystem file and overmind's options, reduced to what a
 * credential supervisor needs). Same messages as the Procfile: where, what was expected, the fix.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import {
  DEFAULT_RESTART_POLICY,
  PROCESS_NAME_PATTERN,
  type ProcessSpec,
  RESTART_POLICIES,
} from './process-spec.js';

export type ProcessConfigResult = { ok: true; processes: ProcessSpec[] } | { ok: false; problems: string[] };

const command = z.string().check(z.trim(), z.minLength(1));
const entrySchema = z.union([
  command,
  z.strictObject({
    command,
    cwd: z.optional(z.string().check(z.trim(), z.minLength(1))),
    delivery: z.optional(z.enum(['endpoint', 'env', 'profile'])),
    restart: z.optional(z.enum(RESTART_POLICIES)),
  }),
]);
// zod/mini carries no messages of its own: the English ones, for the reason shown after the problem.
const englishMessages = en().localeError;

const EXPECTED =
  'a command string, or an object like {"command": "npm run dev", "cwd": "web", "delivery": "endpoint", "restart": "on-failure"}';

export function parseProcessConfig(value: unknown, where = 'config'): ProcessConfigResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      problems: [
        `${where}: \`processes\` must be an object of name → command, like {"cdk": "cdk watch --hotswap-fallback", "logs": "aws logs tail /aws/lambda/Fn --follow"}, got ${describe(value)}.`,
      ],
    };
  }
  const problems: string[] = [];
  const processes: ProcessSpec[] = [];
  for (const [name, raw] of Object.entries(value)) {
    const origin = `${where} processes.${name}`;
    if (!PROCESS_NAME_PATTERN.test(name)) {
      problems.push(`${origin}: the name may hold only letters, digits, \`_\` and \`-\`; rename it.`);
      continue;
    }
    const parsed = entrySchema.safeParse(raw, { error: englishMessages });
    if (!parsed.success) {
      problems.push(`${origin}: must be ${EXPECTED}, got ${describe(raw)} (${firstIssue(parsed.error)}).`);
      continue;
    }
    const entry = typeof parsed.data === 'string' ? { command: parsed.data } : parsed.data;
    processes.push({
      name,
      command: entry.command,
      restart: entry.restart ?? DEFAULT_RESTART_POLICY,
      origin,
      ...(entry.cwd === undefined ? {} : { cwd: entry.cwd }),
      ...(entry.delivery === undefined ? {} : { delivery: entry.delivery }),
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  if (processes.length === 0) {
    return { ok: false, problems: [`${where}: \`processes\` is empty; add at least one name → command.`] };
  }
  return { ok: true, processes };
}

function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const at = issue.path.length > 0 ? `\`${issue.path.join('.')}\`: ` : '';
  return `${at}${issue.message}`;
}

/** Never echoes a string value: a secret pasted into the wrong key must not be shown. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
