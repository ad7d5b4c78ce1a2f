#!/usr/bin/env node
/**
 * The `cred-supervisor` executable. The only module that touches process.argv, process.env and the
 * exit code; everything else gets them through `CliIo`.
 */

/** Set by the bundler (tools/build.mjs) to package.json's version. */
declare const CRED_SUPERVISOR_VERSION: string | undefined;

const argv = process.argv.slice(2);

// A reader that stops early (`cred-supervisor check --help | head -2`) makes the next write fail with
// EPIPE, reported as an 'error' event: unhandled, it crashed with a stack trace. Nothing more can be
// shown to a reader that left, so the command just finishes. (`watch` adds its own listener, which
// also stops the child: see commands/output-gone.ts.)
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

// No static import: `--version` and the tmux status run every module file they load at each call.
if (argv.length === 1 && ['--version', '-V', '-v'].includes(argv[0] ?? '')) {
  // Scripts ask for the version often; answered from the build, without loading anything.
  const version =
    typeof CRED_SUPERVISOR_VERSION === 'string'
      ? CRED_SUPERVISOR_VERSION
      : (await import('./version.js')).packageVersion();
  process.stdout.write(`${version}\n`);
} else {
  // tmux asks for the status segment every few seconds: answered from two small files when possible.
  const { quickStatus } =
    argv[0] === 'status' ? await import('./quick-status.js') : { quickStatus: undefined };
  const quickCode = quickStatus?.(argv.slice(1), { cwd: process.cwd(), stdout: process.stdout });
  if (quickCode !== undefined) {
    process.exitCode = quickCode;
  } else {
    // Children get the environment as the person gave it, not the setting below.
    const env = { ...process.env };
    // The SDK warns on Node 20 that future versions need Node 22: noise for our users, who cannot act
    // on it mid-`cdk watch`. Set for this process only (children get `env`), unless the person chose.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { runCli } = await import('./run-cli.js');
    process.exitCode = await runCli(argv, {
      env,
      cwd: process.cwd(),
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  }
}
