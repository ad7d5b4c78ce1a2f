import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CommandNotFoundError, UnsupportedCommandError } from './command-errors.js';
import { splitSimpleCommand, unwrapPackageRunner } from './unwrap-package-runner.js';

/** The few file-system questions resolution asks; injected so the logic is tested without a disk. */
export interface CommandLookupFs {
  isExecutableFile(file: string): boolean;
  /** The file's text, or undefined when it cannot be read. */
  readTextFile(file: string): string | undefined;
}

export interface ResolveCommandInput {
  command: string;
  args: readonly string[];
  /** Where the child will run: `node_modules/.bin` is looked for here and in every parent. */
  cwd: string;
  /** Only PATH is read. */
  env: Readonly<Record<string, string | undefined>>;
  fs?: CommandLookupFs;
}

export type FoundIn = 'given-path' | 'node_modules/.bin' | 'package-bin' | 'PATH' | 'shell';

export interface ResolvedCommand {
  /** An absolute path to spawn directly (never through a shell). */
  file: string;
  args: string[];
  foundIn: FoundIn;
  /** Human sentences to show once: what was changed or allowed, and why. */
  warnings: string[];
}

export const nodeCommandFs: CommandLookupFs = {
  isExecutableFile(file) {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  },
  readTextFile(file) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** `/a/b/c` → [`/a/b/c`, `/a/b`, `/a`, `/`]. */
function selfAndParents(dir: string): string[] {
  const dirs = [dir];
  for (let parent = path.dirname(dir); parent !== dirs.at(-1); parent = path.dirname(parent))
    dirs.push(parent);
  return dirs;
}

function pathEntries(cwd: string, pathVariable: string | undefined): string[] {
  // An empty entry means "the current directory" to a shell; never look there implicitly.
  return (pathVariable ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.resolve(cwd, dir));
}

function quote(words: readonly string[]): string {
  return words.join(' ');
}

function notFoundFix(command: string): string {
  const install = command === 'cdk' ? 'Install it in the project (`npm i -D aws-cdk`)' : 'Install it';
  return `${install} or pass its full path after \`--\` (e.g. \`-- /path/to/${command} ...\`).`;
}

/** `bin` of the package.json found under node_modules (walking up), as npx would pick it. */
function findPackageBin(
  dirs: readonly string[],
  packageName: string,
  fs: CommandLookupFs,
  searched: string[],
): string | undefined {
  const unscoped = packageName.slice(packageName.lastIndexOf('/') + 1);
  for (const dir of dirs) {
    const packageDir = path.join(dir, 'node_modules', packageName);
    const manifestPath = path.join(packageDir, 'package.json');
    const text = fs.readTextFile(manifestPath);
    if (text === undefined) continue;
    searched.push(manifestPath);
    let bin: unknown;
    try {
      bin = (JSON.parse(text) as { bin?: unknown }).bin;
    } catch {
      continue;
    }
    let relative: unknown;
    if (typeof bin === 'string') relative = bin;
    else if (bin && typeof bin === 'object') {
      const entries = Object.entries(bin);
      relative = entries.length === 1 ? entries[0]![1] : (bin as Record<string, unknown>)[unscoped];
    }
    if (typeof relative !== 'string') continue;
    const file = path.resolve(packageDir, relative);
    if (fs.isExecutableFile(file)) return file;
  }
  return undefined;
}

interface Lookup {
  cwd: string;
  dirs: string[];
  env: ResolveCommandInput['env'];
  fs: CommandLookupFs;
}

/** Finds a bare name or path as a file; throws CommandNotFoundError naming every place tried. */
function findExecutable(
  command: string,
  lookup: Lookup,
  packageName?: string,
): { file: string; foundIn: FoundIn } {
  const { cwd, dirs, env, fs } = lookup;
  if (command.includes('/')) {
    const file = path.resolve(cwd, command);
    if (fs.isExecutableFile(file)) return { file, foundIn: 'given-path' };
    throw new CommandNotFoundError(
      command,
      [file],
      `Expected \`${command}\` to be an executable file, but \`${file}\` is missing or not executable. ` +
        `Check the path, or make it executable (\`chmod +x ${file}\`).`,
    );
  }
  const searched: string[] = [];
  for (const dir of dirs) {
    const file = path.join(dir, 'node_modules', '.bin', command);
    searched.push(file);
    if (fs.isExecutableFile(file)) return { file, foundIn: 'node_modules/.bin' };
  }
  if (packageName !== undefined) {
    const file = findPackageBin(dirs, packageName, fs, searched);
    if (file !== undefined) return { file, foundIn: 'package-bin' };
  }
  const pathDirs = pathEntries(cwd, env.PATH);
  for (const dir of pathDirs) {
    const file = path.join(dir, command);
    searched.push(file);
    if (fs.isExecutableFile(file)) return { file, foundIn: 'PATH' };
  }
  const pathText = pathDirs.length > 0 ? `in PATH (${pathDirs.join(', ')})` : 'in PATH (empty)';
  throw new CommandNotFoundError(
    command,
    searched,
    `Cannot find the command \`${command}\`: looked in node_modules/.bin from \`${cwd}\` up to \`${dirs.at(-1)}\`, ` +
      `and ${pathText}. ${notFoundFix(command)}`,
  );
}

function readScript(scriptName: string, lookup: Lookup): { script: string; manifest: string } | undefined {
  for (const dir of lookup.dirs) {
    const manifest = path.join(dir, 'package.json');
    const text = lookup.fs.readTextFile(manifest);
    if (text === undefined) continue;
    try {
      const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts;
      const script = scripts?.[scriptName];
      return typeof script === 'string' ? { script, manifest } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const WHY_DIRECT =
  'cred-supervisor runs the real program itself so that stop signals reach it at once ' +
  '(npx ignores SIGINT for 20 s+ and SIGTERM leaves the real program running; npm runs scripts through a shell).';

function resolveWithin(
  command: string,
  args: readonly string[],
  lookup: Lookup,
  depth: number,
): ResolvedCommand {
  const original = quote([command, ...args]);
  const unwrapped = unwrapPackageRunner(command, args);
  if (unwrapped.kind === 'direct' || depth > 3) {
    const found = findExecutable(command, lookup);
    return { ...found, args: [...args], warnings: [] };
  }
  if (unwrapped.kind === 'unsupported') {
    throw new UnsupportedCommandError(
      original,
      `Cannot supervise \`${original}\`: ${unwrapped.reason} Pass the long-running command itself after \`--\` ` +
        '(e.g. `-- cdk watch --hotswap-fallback`).',
    );
  }

  let inner: { command: string; args: string[] } | undefined;
  let explained: string;
  if (unwrapped.kind === 'binary') {
    const found = findExecutable(unwrapped.command, lookup, unwrapped.packageName);
    const warning = `Running \`${found.file}\` directly instead of \`${original}\`: ${WHY_DIRECT}`;
    return { ...found, args: unwrapped.args, warnings: [warning] };
  }
  if (unwrapped.kind === 'script') {
    const found = readScript(unwrapped.scriptName, lookup);
    if (found === undefined) {
      throw new UnsupportedCommandError(
        original,
        `Cannot supervise \`${original}\`: no script \`${unwrapped.scriptName}\` in the package.json nearest to \`${lookup.cwd}\`. ` +
          'Pass the long-running command itself after `--` (e.g. `-- cdk watch --hotswap-fallback`).',
      );
    }
    const words = splitSimpleCommand(found.script);
    if (words === undefined) {
      throw new UnsupportedCommandError(
        original,
        `Cannot supervise \`${original}\`: its script \`${found.script}\` needs a shell, and ${WHY_DIRECT} ` +
          'Pass the long-running command itself after `--` (e.g. `-- cdk watch --hotswap-fallback`).',
      );
    }
    inner = { command: words[0]!, args: [...words.slice(1), ...unwrapped.args] };
    explained = `the script \`${found.script}\` from ${found.manifest}`;
  } else {
    const words = splitSimpleCommand(unwrapped.script);
    if (words === undefined) {
      // A real shell program (pipes, &&, variables): run it as given. The whole process group is
      // stopped, which reaches everything it starts, except what leaves the group (setsid, nohup &).
      const found = findExecutable(command, lookup);
      const warning =
        `Running \`${original}\` through a shell as given: stopping signals its whole process group, ` +
        'but anything it detaches (setsid, daemons) is not stopped. Prefer passing the program itself after `--`.';
      return { file: found.file, foundIn: 'shell', args: [...args], warnings: [warning] };
    }
    inner = { command: words[0]!, args: words.slice(1) };
    explained = `\`${unwrapped.script}\``;
  }

  const resolved = resolveWithin(inner.command, inner.args, lookup, depth + 1);
  const warning = `Running \`${resolved.file}\` directly (${explained}) instead of \`${original}\`: ${WHY_DIRECT}`;
  return { ...resolved, warnings: [warning, ...resolved.warnings] };
}

/**
 * Turns the command the person gave into an executable file to spawn directly: a path as given
 * (relative to cwd), else `node_modules/.bin/<name>` in cwd or a parent, else PATH. Wrappers (npx,
 * npm run, sh -c with a simple command) are replaced by the program they would run, with a warning.
 */
export function resolveCommand(input: ResolveCommandInput): ResolvedCommand {
  if (input.command.trim() === '') {
    throw new UnsupportedCommandError('', 'Expected a command to run, got an empty string.');
  }
  const cwd = path.resolve(input.cwd);
  const lookup: Lookup = { cwd, dirs: selfAndParents(cwd), env: input.env, fs: input.fs ?? nodeCommandFs };
  return resolveWithin(input.command, input.args, lookup, 0);
}
