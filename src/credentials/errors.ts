/**
 * Why a credential source could not give usable credentials. Every message names the problem and the
 * fix and never contains a secret value.
 */
export type CredentialProblemCode =
  | 'NOT_READY' // empty or half-written file: wait for the writer to finish
  | 'MALFORMED' // content is not one of the accepted formats
  | 'MISSING_FIELD'
  | 'EXPIRED'
  | 'UNSAFE_PERMISSIONS' // group/world readable
  | 'TRACKED_BY_GIT'
  | 'NOT_A_FILE'
  | 'TOO_LARGE'
  | 'NOT_FOUND' // no source has credentials
  | 'PROFILE_FAILED';

export class CredentialProblem extends Error {
  override readonly name = 'CredentialProblem';
  constructor(
    readonly code: CredentialProblemCode,
    message: string,
    /** What the person should do about it, one sentence. */
    readonly fix?: string,
  ) {
    super(fix ? `${message} ${fix}` : message);
  }
}
