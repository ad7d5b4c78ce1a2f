/** Parses the arguments, runs the command and turns every outcome into an exit code. */
import { CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { UsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { createProgram, HELP_HINT } from './program.js';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help / version text).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n${HELP_HINT}\n`);
    return ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`cred-supervisor: ${message}\n`);
  return ExitCode.error;
}
