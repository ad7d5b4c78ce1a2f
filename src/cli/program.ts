/**
 * The commander program: every command registered (so `--help` works for all of them), their bodies
 * loaded only when they run.
 */
import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { checkCommand } from './commands/check.js';
import { demoCommand } from './commands/demo.js';
import { execCommand } from './commands/exec.js';
import { initCommand } from './commands/init.js';
import { loginCommand } from './commands/login.js';
import { mfaCommand } from './commands/mfa.js';
import { playgroundCommand } from './commands/playground.js';
import { reloadCommand } from './commands/reload.js';
import { restartCommand } from './commands/restart.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { watchCommand } from './commands/watch.js';
import { packageVersion } from './version.js';

export const HELP_HINT = '(add --help for usage)';

/** `finish(code)` records the exit code of the command that ran. */
export function createProgram(io: CliIo, finish: (code: number) => void): Command {
  const program = new Command('cred-supervisor')
    .description(
      'Keeps `cdk watch` (and any long-running AWS dev process) working across credential expiry: ' +
        'verify, supervise, refresh, prompt, restart.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    // Lets watch/exec pass everything after their command through untouched.
    .enablePositionalOptions();

  for (const define of [
    watchCommand,
    checkCommand,
    execCommand,
    statusCommand,
    reloadCommand,
    restartCommand,
    stopCommand,
    initCommand,
    demoCommand,
    playgroundCommand,
    loginCommand,
    mfaCommand,
  ]) {
    program.addCommand(define(io, finish));
  }

  // addCommand() does not copy these settings to subcommands, so every command gets them here:
  // no process.exit() from commander, and output through the io we were given.
  for (const command of [program, ...program.commands]) {
    command
      .exitOverride()
      .showHelpAfterError(HELP_HINT)
      .configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
      });
  }
  return program;
}
