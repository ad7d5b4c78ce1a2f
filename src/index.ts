export { formatDuration, parseDuration } from './config/duration.js';
export { CredentialProblem } from './credentials/errors.js';
export type { AwsCredentials, CredentialSource, ResolvedCredentials } from './credentials/types.js';
