import type { AwsCredentials } from './types.js';

/** Which of the accepted credentials-file formats the content was. */
export type CredentialsFileFormat =
  | 'env' // aws configure export-credentials --format env
  | 'credential-process' // {"Version":1,"AccessKeyId",…}
  | 'sts' // aws sts assume-role / get-session-token / get-federation-token
  | 'sso'; // aws sso get-role-credentials

export interface ParsedCredentialsFile {
  format: CredentialsFileFormat;
  credentials: AwsCredentials;
  /** AWS_REGION (or AWS_DEFAULT_REGION) from an env file. */
  region?: string;
  /** Lines that were read but not used, by line number and variable name. */
  notes: string[];
}

/** Human names of the formats, for source descriptions and messages. */
export const FORMAT_NAMES: Record<CredentialsFileFormat, string> = {
  env: 'env lines',
  'credential-process': 'credential_process JSON',
  sts: 'aws sts JSON',
  sso: 'aws sso get-role-credentials JSON',
};
