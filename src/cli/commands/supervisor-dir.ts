/** How status/reload/stop find the supervisor of this directory, and what they say when they cannot. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAME, mayHaveProjectConfig, PACKAGE_JSON_KEY } from '../../config/config-file-names.js';
import { DEFAULT_STATE_DIR } from '../../config/options.js';
import { ControlError } from '../../control/errors.js';
import { EXIT_NO_SUPERVISOR } from '../../control/status-command.js';
import type { CliIo } from '../cli-io.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { buildOptions } from '../shared-options.js';
import { findProjectRoot } from './project-root.js';

/**
 * The state dir of the supervisor this directory belongs to: `--state-dir` as given (no config read),
 * else the one `watch` uses at the project root found walking up from `cwd`. A control command must
 * reach a running supervisor whatever state the config is in: a config that cannot be used is
 * reported on stderr and its `stateDir` read without validation, else the default is used.
 */
export async function supervisorStateDir(
  flags: { stateDir?: string },
  cwd: string,
  io?: Pick<CliIo, 'stderr'>,
): Promise<string> {
  if (flags.stateDir !== undefined) return path.resolve(cwd, flags.stateDir);
  const root = findProjectRoot(cwd);
  // No config at the root: the default, without loading the config parser (status/stop stay light).
  if (!mayHaveProjectConfig(root)) return path.join(root, DEFAULT_STATE_DIR);
  try {
    return (await buildOptions({}, root)).stateDir;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const stateDir = (await stateDirLeniently(root)) ?? path.join(root, DEFAULT_STATE_DIR);
    io?.stderr.write(
      `cred-supervisor: note: ${error.message.split('\n').slice(0, -1).join('\n')}\n` +
        `(looking for the supervisor in ${stateDir} anyway)\n`,
    );
    return stateDir;
  }
}

/** `stateDir` from a config that failed validation, when it is still readable as a string. */
async function stateDirLeniently(root: string): Promise<string | undefined> {
  const read = (name: string) => readFile(path.join(root, name), 'utf8').catch(() => undefined);
  const { parse: parseJsonc } = await import('jsonc-parser');
  const configText = await read(CONFIG_FILE_NAME);
  let section: unknown;
  if (configText !== undefined) section = parseJsonc(configText);
  else {
    const manifest: unknown = parseJsonc((await read('package.json')) ?? '');
    section = isObject(manifest) ? manifest[PACKAGE_JSON_KEY] : undefined;
  }
  const stateDir = isObject(section) ? section.stateDir : undefined;
  return typeof stateDir === 'string' && stateDir !== '' ? path.resolve(root, stateDir) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reports a failed control request on stderr and returns the exit code: 3 when no supervisor runs
 * (as `status` does), 1 when one runs but did not answer or answered with an error. Anything else
 * is not a control failure and is thrown on.
 */
const NO_SUPERVISOR_ADVICE = {
  reload: 'Start one with `cred-supervisor watch` (it reads fresh credentials when it starts).',
  stop: 'Nothing to stop.',
  restart: 'Start one with `cred-supervisor watch --procfile FILE`.',
  mfa: 'Nothing is waiting for an MFA code here.',
} as const;

export function reportControlFailure(
  error: unknown,
  io: CliIo,
  command: 'reload' | 'stop' | 'restart' | 'mfa',
): number {
  if (error instanceof ControlError && error.code === 'NO_SUPERVISOR') {
    const advice = NO_SUPERVISOR_ADVICE[command];
    io.stderr.write(`cred-supervisor: ${error.message} ${advice}\n`);
    return EXIT_NO_SUPERVISOR;
  }
  if (error instanceof ControlError) {
    io.stderr.write(`cred-supervisor: ${error.message}\n`);
    return ExitCode.error;
  }
  throw error;
}
