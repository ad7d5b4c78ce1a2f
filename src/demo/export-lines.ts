/** A key as `aws configure export-credentials --format env` prints it: what the demo and playground write. */
export interface ExportableKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

export function exportLines(key: ExportableKey): string {
  return [
    `export AWS_ACCESS_KEY_ID=${key.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${key.secretAccessKey}`,
    ...(key.sessionToken ? [`export AWS_SESSION_TOKEN=${key.sessionToken}`] : []),
    ...(key.expiration ? [`export AWS_CREDENTIAL_EXPIRATION=${key.expiration.toISOString()}`] : []),
    '',
  ].join('\n');
}
