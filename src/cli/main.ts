#!/usr/bin/env node
/**
 * The `cred-supervisor` executable. The only module that touches process.argv, process.env and the
 * exit code; everything else gets them through `CliIo`.
 *
 * Built as CommonJS (dist/cli/main.cjs, tools/build.mjs), with nothing but this file's own small code
 * and Node's built-ins: a CommonJS entry starts several ms sooner than an ES module (no module loader
 * to set up), and `--version` and the tmux status segment are answered here, synchronously, at every
 * call. Every other command loads the ES module build through import().
 */
import { ignoreReaderGone, writeStdoutNow } from './write-stdout-now.js';

/** Set by the bundler (tools/build.mjs) to package.json's version; absent when run from source. */
declare const CRED_SUPERVISOR_VERSION: string | undefined;

const argv = process.argv.slice(2);

async function main(): Promise<number> {
  // Scripts ask for the version often: answered from the build. (From source, commander answers.)
  if (
    argv.length === 1 &&
    ['--version', '-V', '-v'].includes(argv[0] ?? '') &&
    typeof CRED_SUPERVISOR_VERSION === 'string'
  ) {
    writeStdoutNow(`${CRED_SUPERVISOR_VERSION}\n`);
    return 0;
  }
  // tmux asks for the status segment every few seconds: answered from two small files when possible.
  // (In main.cjs this import is bundled code run on demand, not a file: `--version` skips it.)
  if (argv[0] === 'status') {
    const { quickStatus } = await import('./quick-status.js');
    const code = quickStatus(argv.slice(1), { cwd: process.cwd(), write: writeStdoutNow });
    if (code !== undefined) return code;
  }
  return runProgram();
}

async function runProgram(): Promise<number> {
  // `watch` adds its own listener, which also stops the child: see commands/output-gone.ts.
  process.stdout.on('error', ignoreReaderGone);
  process.stderr.on('error', ignoreReaderGone);
  // Children get the environment as the person gave it, not the setting below.
  const env = { ...process.env };
  // The SDK warns on Node 20 that future versions need Node 22: noise for our users, who cannot act
  // on it mid-`cdk watch`. Set for this process only (children get `env`), unless the person chose.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  cacheCompiledCode();
  const { runCli } = await import('./run-cli.js');
  return runCli(argv, {
    env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

/**
 * Node 22.1+ keeps V8's compiled code of the modules a run loads, so the next `check` or `watch` skips
 * compiling the bundled SDK: ~15 ms less per call. Node 20 has no such cache: nothing happens. Not for
 * the quick answers above: for one small file the cache costs more than it saves.
 *
 * In the person's own cache folder, never Node's default under os.tmpdir(): that folder is shared by
 * every user of the machine, and compiled code planted there by another user would run in this
 * process, which holds AWS credentials. NODE_COMPILE_CACHE still wins (Node enables it at start-up);
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
function cacheCompiledCode(): void {
  const nodeModule = process.getBuiltinModule('node:module') as {
    enableCompileCache?: (directory: string) => unknown;
  };
  if (!nodeModule.enableCompileCache) return;
  const { homedir } = process.getBuiltinModule('node:os') as typeof import('node:os');
  const { join } = process.getBuiltinModule('node:path') as typeof import('node:path');
  try {
    const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    nodeModule.enableCompileCache(join(cacheHome, 'cred-supervisor', 'node-compile-cache'));
  } catch {
    // No home folder to keep it in: run without the cache, a little slower.
  }
}

// A rejection is left unhandled on purpose: Node prints it and exits 1, as a thrown error would.
void main().then((code) => {
  process.exitCode = code;
});
