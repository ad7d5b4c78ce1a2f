/**
 * Recognises commands that run the real program through a wrapper (npx, npm run, pnpm, yarn, sh -c)
 * and says what the wrapper would run. Pure: no files are read here.
 *
 * Why unwrap at all: the supervisor must be able to stop the child at once and know it stopped. Through
 * npx, SIGINT is ignored for 20 s+ and SIGTERM orphans the real cdk; npm runs scripts through a shell.
 */
export type Unwrapped =
  /** Not a wrapper: run as given. */
  | { kind: 'direct' }
  /** Run this binary (from node_modules/.bin, or the named package's bin). */
  | { kind: 'binary'; runner: string; command: string; args: string[]; packageName?: string }
  /** Run this package.json script, with extra arguments appended. */
  | { kind: 'script'; runner: string; scriptName: string; args: string[] }
  /** A shell is asked to run this command string. */
  | { kind: 'shell'; runner: string; script: string }
  | { kind: 'unsupported'; runner: string; reason: string };

// Options of npx/npm exec/pnpm dlx that take a separate value.
const VALUE_OPTIONS = new Set(['-p', '--package', '-c', '--call', '--cache', '--userconfig', '--registry']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
// Anything here means the string needs a shell to mean what it says.
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~{}!\n]/;

function baseName(command: string): string {
  return command.slice(command.lastIndexOf('/') + 1);
}

/** `aws-cdk@2.1000.0` → `aws-cdk`; `@scope/pkg@1` → `@scope/pkg`. */
export function stripVersion(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at > 0 ? spec.slice(0, at) : spec;
}

/**
 * Splits a command string that needs no shell (no quotes, pipes, variables, globs, `&&`, env
 * assignments) into words; undefined when it does need one. A leading `exec` is dropped.
 */
export function splitSimpleCommand(text: string): string[] | undefined {
  if (SHELL_SYNTAX.test(text)) return undefined;
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words[0] === 'exec') words.shift();
  const first = words[0];
  if (first === undefined || /^[A-Za-z_][A-Za-z0-9_]*=/.test(first)) return undefined;
  return words;
}

/** npx / npm exec / pnpm dlx: `[options] [--] <command> [args]`. */
function unwrapExec(runner: string, args: readonly string[]): Unwrapped {
  let packageOption: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      const command = args[i + 1];
      if (command === undefined) break;
      return binary(runner, command, args.slice(i + 2), packageOption);
    }
    if (arg === '-c' || arg === '--call' || arg.startsWith('--call=')) {
      const script = arg.startsWith('--call=') ? arg.slice('--call='.length) : args[i + 1];
      return script === undefined
        ? { kind: 'unsupported', runner, reason: `\`${runner} ${arg}\` needs a command string.` }
        : { kind: 'shell', runner: `${runner} ${arg}`, script };
    }
    if (arg === '-p' || arg === '--package') {
      packageOption = args[i + 1];
      i++;
      continue;
    }
    if (arg.startsWith('--package=')) {
      packageOption = arg.slice('--package='.length);
      continue;
    }
    if (VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return binary(runner, arg, args.slice(i + 1), packageOption);
  }
  return { kind: 'unsupported', runner, reason: `\`${runner}\` was given no command to run.` };
}

function binary(runner: string, spec: string, args: readonly string[], packageOption?: string): Unwrapped {
  const command = stripVersion(spec);
  // `npx aws-cdk` names a package, whose bin (`cdk`) is what actually runs; `npx -p pkg cdk` names both.
  const packageName = packageOption === undefined ? command : stripVersion(packageOption);
  return { kind: 'binary', runner, command, args: [...args], packageName };
}

/** npm run / pnpm run / yarn run: `[options] <script> [--] [args]`. */
function unwrapRun(runner: string, args: readonly string[]): Unwrapped {
  const index = args.findIndex((arg) => !arg.startsWith('-'));
  const scriptName = index >= 0 ? args[index] : undefined;
  if (scriptName === undefined) {
    return { kind: 'unsupported', runner, reason: `\`${runner}\` was given no script name.` };
  }
  const rest = args.slice(index + 1);
  return { kind: 'script', runner, scriptName, args: rest[0] === '--' ? rest.slice(1) : rest };
}

export function unwrapPackageRunner(command: string, args: readonly string[]): Unwrapped {
  const name = baseName(command);
  const [sub, ...rest] = args;
  if (name === 'npx') return unwrapExec('npx', args);
  if (name === 'npm') {
    if (sub === 'exec' || sub === 'x') return unwrapExec(`npm ${sub}`, rest);
    if (sub === 'run' || sub === 'run-script' || sub === 'rum' || sub === 'urn') {
      return unwrapRun(`npm ${sub}`, rest);
    }
    if (sub === 'start' || sub === 'test' || sub === 't') {
      const scriptName = sub === 'start' ? 'start' : 'test';
      return {
        kind: 'script',
        runner: `npm ${sub}`,
        scriptName,
        args: rest[0] === '--' ? rest.slice(1) : rest,
      };
    }
    return {
      kind: 'unsupported',
      runner: 'npm',
      reason: `\`npm ${sub ?? ''}\` does not run a long-lived program.`,
    };
  }
  if (name === 'pnpm' || name === 'yarn') {
    if (sub === 'exec' || sub === 'dlx') return unwrapExec(`${name} ${sub}`, rest);
    if (sub === 'run') return unwrapRun(`${name} run`, rest);
    // `pnpm watch` / `yarn watch` run the script of that name.
    if (sub !== undefined && !sub.startsWith('-')) return unwrapRun(name, args);
    return { kind: 'unsupported', runner: name, reason: `\`${name}\` was given no script name.` };
  }
  if (SHELLS.has(name)) {
    const flagIndex = args.findIndex((arg) => /^-[a-z]*c[a-z]*$/.test(arg));
    const script = flagIndex >= 0 ? args[flagIndex + 1] : undefined;
    if (script !== undefined) return { kind: 'shell', runner: `${name} ${args[flagIndex]}`, script };
  }
  return { kind: 'direct' };
}
