import fs from 'node:fs/promises';
import path from 'node:path';
import type { ParseError } from 'jsonc-parser';
import { CONFIG_FILE_NAME, PACKAGE_JSON_KEY } from './config-file-names.js';
import { findSecretsInConfig } from './config-secrets.js';
import { ConfigError } from './errors.js';
import { type OptionValues, validateOptions } from './option-rules.js';

export { CONFIG_FILE_NAME, PACKAGE_JSON_KEY };

type JsoncParser = typeof import('jsonc-parser');

export interface LoadedConfig {
  /** Validated values; paths still as written (relative to `dir`). */
  values: OptionValues;
  /** What messages call it: `cred-supervisor.config.json` or `package.json#credSupervisor`. */
  label: string;
  /** The file read. */
  file: string;
  /** The folder relative paths in it are resolved against. */
  dir: string;
  /** Things worth telling the person that are not errors. */
  warnings: string[];
}

/**
 * Reads the project's configuration: `cred-supervisor.config.json` (JSON with comments, as `init`
 * writes it), else the `credSupervisor` key of package.json. Null when neither exists.
 * Throws ConfigError listing every problem: syntax (with line and column), unknown keys, wrong types,
 * and credentials, which are refused outright.
 */
export async function loadConfigFile(projectDir: string): Promise<LoadedConfig | null> {
  const dir = path.resolve(projectDir);
  const configFile = path.join(dir, CONFIG_FILE_NAME);
  const packageFile = path.join(dir, 'package.json');
  const configText = await readIfExists(configFile);
  const packageText = await readIfExists(packageFile);
  const mentionsKey = packageText?.includes(PACKAGE_JSON_KEY) ?? false;
  // Most projects have no configuration: then the parser is never loaded (the supervisor's peak
  // memory counts every module it ever loaded).
  if (configText === null && !mentionsKey) return null;
  const jsonc = await import('jsonc-parser');

  if (configText !== null) {
    const warnings: string[] = [];
    if (packageText !== null && mentionsKey && hasPackageKey(jsonc, packageText)) {
      warnings.push(`package.json#${PACKAGE_JSON_KEY} is ignored: ${CONFIG_FILE_NAME} takes precedence.`);
    }
    const raw = parseText(jsonc, configText, CONFIG_FILE_NAME, true);
    return {
      values: validate(raw, CONFIG_FILE_NAME),
      label: CONFIG_FILE_NAME,
      file: configFile,
      dir,
      warnings,
    };
  }

  if (packageText === null) return null;
  const manifest = parseText(jsonc, packageText, 'package.json', false);
  if (!Object.hasOwn(manifest, PACKAGE_JSON_KEY)) return null;
  const label = `package.json#${PACKAGE_JSON_KEY}`;
  const section = manifest[PACKAGE_JSON_KEY];
  if (!isPlainObject(section)) {
    throw new ConfigError([`${label} must be an object of options, got ${kindOf(section)}.`]);
  }
  return { values: validate(section, label), label, file: packageFile, dir, warnings: [] };
}

function validate(raw: Record<string, unknown>, label: string): OptionValues {
  const secrets = findSecretsInConfig(raw);
  if (secrets.length > 0) throw new ConfigError(secrets.map((problem) => `${label}: ${problem}`));
  const { values, problems } = validateOptions(raw, false);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => `${label}: ${problem}`));
  return values;
}

/** Parses JSON (with comments and trailing commas when `jsonc`) whose top level must be an object. */
function parseText(
  parser: JsoncParser,
  text: string,
  label: string,
  jsonc: boolean,
): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value: unknown = parser.parse(text, errors, {
    allowTrailingComma: jsonc,
    disallowComments: !jsonc,
    allowEmptyContent: false,
  });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((error) => {
        const { line, column } = position(text, error.offset);
        return `${label}:${line}:${column}: invalid ${jsonc ? 'JSON with comments' : 'JSON'} (${parser.printParseErrorCode(error.error)}).`;
      }),
    );
  }
  if (!isPlainObject(value)) {
    throw new ConfigError([`${label} must hold one JSON object of options, got ${kindOf(value)}.`]);
  }
  return value;
}

function hasPackageKey(parser: JsoncParser, text: string): boolean {
  const value: unknown = parser.parse(text);
  return isPlainObject(value) && Object.hasOwn(value, PACKAGE_JSON_KEY);
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError([`Cannot read ${file}: ${(error as Error).message}.`]);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
