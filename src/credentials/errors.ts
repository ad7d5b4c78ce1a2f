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
  | 'PROFILE_FAILED'
  | 'SSO_EXPIRED' // the profile's SSO session is missing or expired: `aws sso login`
  | 'MFA_REQUIRED' // the profile needs an MFA code and no terminal can ask for one
  | 'NETWORK'; // STS/SSO could not be reached (never reported as expiry)

export class CredentialProblem extends Error {
  override readonly name = 'CredentialProblem';
  constructor(
    readonly code: CredentialProblemCode,
    /** The problem alone, without the fix. */
    readonly problem: string,
    /** What the person should do about it, one sentence. */
    readonly fix?: string,
  ) {
    super(fix ? `${problem} ${fix}` : problem);
  }

  /** The same problem said about a place (`/path/credentials: line 3 …`), with a fix if it had none. */
  about(place: string, fix?: string): CredentialProblem {
    return new CredentialProblem(this.code, `${place}: ${this.problem}`, this.fix ?? fix);
  }
}

export function isCredentialProblem(value: unknown): value is CredentialProblem {
  return value instanceof CredentialProblem;
}
