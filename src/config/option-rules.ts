import { createRequire } from 'node:module';
// zod's functional build: only the validators used here are bundled (the method-chaining `zod` build
// brings every validator and locale, about 6 MB more resident in a long-running supervisor).
import * as z from 'zod/mini';
import { scrubSecrets } from '../logging/redact.js';
import { parseProcessConfig } from '../procfile/process-config.js';
import type { ProcessSpec } from '../procfile/process-spec.js';
import { SSO_LOGIN_MODES, type SsoLoginMode } from '../sso/login-policy.js';
import { ACCOUNT_ID_PATTERN } from './account-id.js';
import { parseDuration } from './duration.js';
import { DELIVERIES, type Delivery, LOG_LEVELS, type LogLevel } from './options.js';

/** Option values after validation, before defaults and path resolution. Paths are as written. */
export interface OptionValues {
  profile?: string;
  credentialsFile?: string;
  region?: string;
  expectAccount?: string;
  delivery?: Delivery;
  refreshBeforeMs?: number;
  stopBeforeMs?: number;
  checkSchedule?: string;
  stopGraceMs?: number;
  stateDir?: string;
  logFile?: string;
  logLevel?: LogLevel;
  notifyCommand?: string;
  ssoLogin?: SsoLoginMode;
  command?: string[];
  processes?: ProcessSpec[];
}

interface Rule {
  /** The command-line flag, or null for config-only keys. */
  flag: string | null;
  /** Completes "`key` must be ...". */
  expected: string;
  /** The same for the flag, where JSON's quoting advice would confuse. */
  flagExpected?: string;
  schema: z.ZodMiniType;
  /** Extra detail about why a value failed (node-cron's own reason). */
  detail?: (value: unknown) => string | undefined;
}

// node-cron is loaded when a schedule is checked, not when the rules are: every command parses its
// flags with these rules, and `status`, `reload`, `stop` never need a cron parser.
const requireModule = createRequire(import.meta.url);
function validateCron(value: string): ReturnType<typeof import('node-cron').validateDetailed> {
  const cron = requireModule('node-cron') as typeof import('node-cron');
  return cron.validateDetailed(value);
}

const text = z.string().check(z.trim(), z.minLength(1));
const isDuration = (value: string) => {
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
};
const duration = z.string().check(z.refine(isDuration));

/** Every option of the spec, as it may appear in the config file; flags use the same rules. */
export const OPTION_RULES = {
  profile: { flag: '--profile', expected: 'an AWS profile name', schema: text },
  credentialsFile: { flag: '--credentials-file', expected: 'a file path', schema: text },
  region: {
    flag: '--region',
    expected: 'an AWS region like eu-west-1',
    // `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`.
    schema: z.string().check(z.regex(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/)),
  },
  expectAccount: {
    flag: '--expect-account',
    expected: 'a 12-digit AWS account id in quotes, like "123456789012"',
    flagExpected: 'a 12-digit AWS account id, like 123456789012',
    schema: z.string().check(z.regex(ACCOUNT_ID_PATTERN)),
  },
  delivery: { flag: '--delivery', expected: 'one of endpoint, env, profile', schema: z.enum(DELIVERIES) },
  refreshBefore: { flag: '--refresh-before', expected: 'a duration like 10m', schema: duration },
  stopBefore: { flag: '--stop-before', expected: 'a duration like 1m', schema: duration },
  checkSchedule: {
    flag: '--check-schedule',
    expected: 'a node-cron schedule like "* * * * *" (5 fields, or 6 with seconds first)',
    schema: z.string().check(z.refine((value) => validateCron(value).valid)),
    detail: (value) =>
      typeof value === 'string'
        ? validateCron(value)
            .errors?.map((error) => error.message)
            .join('; ')
        : undefined,
  },
  stopGrace: { flag: '--stop-grace', expected: 'a duration like 5s', schema: duration },
  stateDir: { flag: '--state-dir', expected: 'a directory path', schema: text },
  logFile: { flag: '--log-file', expected: 'a file path', schema: text },
  logLevel: {
    flag: '--log-level',
    expected: `one of ${LOG_LEVELS.join(', ')}`,
    schema: z.enum(LOG_LEVELS),
  },
  notifyCommand: { flag: '--notify-command', expected: 'a command line', schema: text },
  ssoLogin: {
    flag: '--sso-login',
    expected: `one of ${SSO_LOGIN_MODES.join(', ')}`,
    schema: z.enum(SSO_LOGIN_MODES),
  },
  command: {
    flag: null,
    expected: 'a non-empty array of strings, like ["cdk", "watch", "--hotswap-fallback"]',
    schema: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  },
  // Several commands under one credential session; the rules (and messages) are the Procfile's.
  processes: {
    flag: null,
    expected: 'an object of name → command (see the problem after it)',
    schema: z.pipe(
      z.unknown(),
      z.transform((value, ctx) => {
        const parsed = parseProcessConfig(value);
        if (parsed.ok) return parsed.processes;
        ctx.issues.push({ code: 'custom', message: parsed.problems.join(' '), input: value });
        return z.NEVER;
      }),
    ),
    detail: (value) => {
      const parsed = parseProcessConfig(value);
      return parsed.ok ? undefined : parsed.problems.join(' ');
    },
  },
} satisfies Record<string, Rule>;

export type OptionKey = keyof typeof OPTION_RULES;
export const OPTION_KEYS = Object.keys(OPTION_RULES) as OptionKey[];

/** Keys a config file may carry that are not options (editors' schema hints). */
const IGNORED_KEYS = new Set(['$schema']);

/** One problem with the value of `key`, e.g. "`refreshBefore` must be a duration like 10m, got `10 minutes` (string)". */
export function describeProblem(key: OptionKey, value: unknown, asFlag: boolean): string {
  const rule: Rule = OPTION_RULES[key];
  const flag = asFlag && rule.flag !== null;
  const name = flag ? rule.flag : key;
  const expected = (flag && rule.flagExpected) || rule.expected;
  const detail = rule.detail?.(value);
  return `\`${name}\` must be ${expected}, got ${describeValue(value)}${detail ? ` (${detail})` : ''}`;
}

/**
 * `10 minutes` (string), `600` (number), an array... Strings are scrubbed and shortened so a secret
 * pasted into the wrong key is never echoed back.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = scrubSecrets(value);
    return `\`${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}\` (string)`;
  }
  return `\`${String(value)}\` (${typeof value})`;
}

/**
 * Validates raw option values (a config object, or flags) and normalizes them: durations become
 * milliseconds. Returns every problem, not just the first, so one edit fixes the file.
 */
export function validateOptions(
  raw: Record<string, unknown>,
  asFlags: boolean,
): { values: OptionValues; problems: string[] } {
  const problems: string[] = [];
  const valid: Partial<Record<OptionKey, unknown>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || IGNORED_KEYS.has(key)) continue;
    if (!isOptionKey(key) || (asFlags && OPTION_RULES[key].flag === null)) {
      problems.push(unknownKeyProblem(key, asFlags));
      continue;
    }
    const parsed = OPTION_RULES[key].schema.safeParse(value);
    if (parsed.success) valid[key] = parsed.data;
    else problems.push(describeProblem(key, value, asFlags));
  }
  return { values: normalize(valid), problems };
}

function normalize(valid: Partial<Record<OptionKey, unknown>>): OptionValues {
  const { refreshBefore, stopBefore, stopGrace, ...rest } = valid;
  const values = rest as OptionValues & Record<string, unknown>;
  if (typeof refreshBefore === 'string') values.refreshBeforeMs = parseDuration(refreshBefore);
  if (typeof stopBefore === 'string') values.stopBeforeMs = parseDuration(stopBefore);
  if (typeof stopGrace === 'string') values.stopGraceMs = parseDuration(stopGrace);
  return values;
}

/**
 * A flag's value checked by the same rule as the config file's key, as it is parsed: a bad value is
 * a usage error naming the flag. The value is returned as given; `validateOptions` normalizes it.
 */
export function checkFlagValue(key: OptionKey, value: string): string {
  if (!OPTION_RULES[key].schema.safeParse(value).success) {
    throw new RangeError(`${describeProblem(key, value, true)}.`);
  }
  return value;
}

function isOptionKey(key: string): key is OptionKey {
  return Object.hasOwn(OPTION_RULES, key);
}

function unknownKeyProblem(key: string, asFlags: boolean): string {
  const suggestion = closestKey(key);
  const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
  const known = asFlags ? '' : ` Known keys: ${OPTION_KEYS.join(', ')}.`;
  return `unknown key \`${scrubSecrets(key)}\`.${hint}${hint ? '' : known}`;
}

/** The option name a typo most likely meant, if one is close (case-insensitive edit distance). */
export function closestKey(key: string): OptionKey | undefined {
  let best: { key: OptionKey; distance: number } | undefined;
  for (const candidate of OPTION_KEYS) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
