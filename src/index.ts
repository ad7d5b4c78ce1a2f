/** The programmatic API (docs/usage.md "Programmatic API"). */

export { formatDuration, parseDuration } from './config/duration.js';
export { defaultOptions, type SupervisorOptions } from './config/options.js';
export type { StatusSnapshot } from './control/status.js';
export { CredentialProblem } from './credentials/errors.js';
export { resolveCredentials } from './credentials/resolve-credentials.js';
export type { AwsCredentials, CredentialSource, ResolvedCredentials } from './credentials/types.js';
export { CREDENTIAL_ERROR_KINDS, type CredentialErrorKind } from './detect/credential-error-kind.js';
export { detectCredentialError, findCredentialErrorRule } from './detect/detect-credential-error.js';
export { createLineSplitter, type LineSplitter, type LineSplitterOptions } from './detect/line-splitter.js';
export { createInitialState, transition } from './supervisor/state-machine.js';
export { snapshotStatus } from './supervisor/status-snapshot.js';
export { Supervisor, type SupervisorConfig, type SupervisorEvents } from './supervisor/supervisor.js';
export type {
  CallerIdentity,
  VerificationFailure,
  VerificationFailureReason,
  VerificationResult,
  VerifiedCredentials,
} from './verify/verification-result.js';
export { type VerifyOptions, verifyCredentials } from './verify/verify-credentials.js';
