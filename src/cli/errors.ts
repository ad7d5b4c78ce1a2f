/** Bad flags or arguments: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'CRED_SUPERVISOR_USAGE';
}

/** A command that is registered (so --help works) but whose body is still to come. */
export class NotImplementedError extends Error {
  override readonly name = 'NotImplementedError';
  readonly code = 'CRED_SUPERVISOR_NOT_IMPLEMENTED';
  constructor(command: string) {
    super(`\`cred-supervisor ${command}\` is not implemented yet.`);
  }
}
