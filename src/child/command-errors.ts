/** The command to supervise could not be found as an executable file. */
export class CommandNotFoundError extends Error {
  override readonly name = 'CommandNotFoundError';
  readonly code = 'COMMAND_NOT_FOUND';
  constructor(
    readonly command: string,
    /** Every file that was tried, in order. */
    readonly searched: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** The command is a wrapper (npm run, npx -c ...) that cannot be turned into one binary safely. */
export class UnsupportedCommandError extends Error {
  override readonly name = 'UnsupportedCommandError';
  readonly code = 'COMMAND_UNSUPPORTED';
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}
