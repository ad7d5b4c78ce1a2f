/** One set of AWS credentials. Secrets live only here and in the child's delivery channel. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When the credentials stop working, if known. */
  expiration?: Date;
}

export type CredentialSourceKind = 'file' | 'profile' | 'env';

/** Where a set of credentials came from, described without any secret. */
export interface CredentialSource {
  kind: CredentialSourceKind;
  /** Human description: the file path, `profile dev`, or `environment`. */
  description: string;
  /** The profile name when kind === 'profile' (or AWS_PROFILE from the environment). */
  profile?: string;
  /** The file path when kind === 'file'. */
  path?: string;
}

export interface ResolvedCredentials {
  credentials: AwsCredentials;
  source: CredentialSource;
  /** A region carried by the source itself (AWS_REGION line in the file, profile region). */
  region?: string;
  /** Things worth telling the person that did not stop resolution (ignored lines, a followed symlink). */
  notes?: string[];
}
