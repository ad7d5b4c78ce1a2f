/** `cred-supervisor init`: set the project up, and say what was done and what was already there. */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type InitResult, initProject } from '../../config/init.js';
import { DEFAULT_PROCFILE_NAME, procfileTemplate } from '../../procfile/procfile-template.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';

export async function runInit(io: CliIo, flags: { procfile?: string | true } = {}): Promise<number> {
  const result = await initProject(io.cwd);
  io.stdout.write(formatInitResult(result, io.cwd));
  if (flags.procfile !== undefined) {
    const name = flags.procfile === true ? DEFAULT_PROCFILE_NAME : flags.procfile;
    io.stdout.write(`${await writeProcfile(path.resolve(io.cwd, name), name, io.cwd)}\n`);
  }
  return ExitCode.ok;
}

/** Writes the example Procfile unless one is there (never overwritten); says which it was. */
async function writeProcfile(file: string, name: string, cwd: string): Promise<string> {
  const localCdk = existsSync(path.join(cwd, 'node_modules', '.bin', 'cdk'));
  try {
    await writeFile(file, procfileTemplate({ localCdk }), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return `  exists   ${name} (left as it is). Start it: npx cred-supervisor watch --procfile ${name}`;
  }
  return `  created  ${name} (cdk watch; add one \`name: command\` line per process). Start it: npx cred-supervisor watch --procfile ${name}`;
}

/** One line per thing init looks after, verb first, paths relative to where it ran. */
export function formatInitResult(result: InitResult, cwd: string): string {
  const show = (file: string) => path.relative(cwd, file) || '.';
  const stateDir = `${show(result.stateDir)}/`;
  const lines: [string, string][] = [];

  if (result.config === 'created') {
    lines.push(['created', `${show(result.configFile)} (every option commented out, with its default)`]);
  } else if (result.config === 'exists') {
    lines.push(['exists', `${show(result.configFile)} (left as it is)`]);
  } else {
    lines.push(['exists', 'package.json#credSupervisor is the config (no config file written)']);
  }

  if (result.stateDirCreated) lines.push(['created', `${stateDir} (mode 700: only you can enter it)`]);
  else lines.push(['exists', stateDir]);

  const ignored = `${show(result.gitignoreFile)} ignores ${stateDir}`;
  if (result.gitignore === 'created') lines.push(['created', ignored]);
  else if (result.gitignore === 'updated') lines.push(['updated', ignored]);
  else lines.push(['exists', `${ignored} already`]);

  const width = Math.max(...lines.map(([verb]) => verb.length));
  const credentials = path.join(stateDir, 'credentials');
  return [
    ...lines.map(([verb, what]) => `  ${verb.padEnd(width)}  ${what}`),
    '',
    'Next: put credentials where the supervisor finds them (or set "profile" in the config),',
    'then start it (umask 077: the file must be readable by you only):',
    `  (umask 077; aws configure export-credentials --format env > ${credentials})   # AWS CLI v2`,
    `  (umask 077; aws sts get-session-token --output json > ${credentials})         # AWS CLI v1`,
    '  npx cred-supervisor watch',
    '',
  ].join('\n');
}
