#!/usr/bin/env node
/**
 * The `cred-supervisor` executable. The only module that touches process.argv, process.env and the
 * exit code; everything else gets them through `CliIo`.
 */
import { runCli } from './run-cli.js';

// Children get the environment as the person gave it, not the settings below.
const env = { ...process.env };

// The SDK warns on Node 20 that future versions need Node 22: noise for our users, who cannot act on
// it mid-`cdk watch`. Set for this process only (children get `env` above), unless the person chose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2), {
  env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
