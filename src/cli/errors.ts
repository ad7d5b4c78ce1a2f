/** Bad flags or arguments: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'CRED_SUPERVISOR_USAGE';
}
