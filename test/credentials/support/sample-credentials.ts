/** Realistic-looking credential sets and the texts AWS tools print for them, for the parser tests. */
import { randomBytes } from 'node:crypto';

export interface SampleKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function sampleKeys(options: { prefix?: 'ASIA' | 'AKIA'; expiration?: Date } = {}): SampleKeys {
  const prefix = options.prefix ?? 'ASIA';
  let suffix = '';
  for (const byte of randomBytes(16)) suffix += ID_ALPHABET[byte % ID_ALPHABET.length];
  return {
    accessKeyId: `${prefix}${suffix}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    ...(prefix === 'ASIA' && { sessionToken: randomBytes(120).toString('base64') }),
    ...(options.expiration && { expiration: options.expiration }),
  };
}

/** What `aws configure export-credentials --format env` prints. */
export function envText(keys: SampleKeys, extra = ''): string {
  const lines = [
    `export AWS_ACCESS_KEY_ID=${keys.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${keys.secretAccessKey}`,
  ];
  if (keys.sessionToken) lines.push(`export AWS_SESSION_TOKEN=${keys.sessionToken}`);
  if (keys.expiration) lines.push(`export AWS_CREDENTIAL_EXPIRATION=${keys.expiration.toISOString()}`);
  return `${lines.join('\n')}\n${extra}`;
}

/** What a credential_process prints. */
export function credentialProcessJson(keys: SampleKeys): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: keys.accessKeyId,
    SecretAccessKey: keys.secretAccessKey,
    ...(keys.sessionToken && { SessionToken: keys.sessionToken }),
    ...(keys.expiration && { Expiration: keys.expiration.toISOString() }),
  });
}

/** What `aws sts assume-role` prints (the AWS CLI writes +00:00 offsets). */
export function stsJson(keys: SampleKeys): string {
  const expiration = (keys.expiration ?? new Date(Date.now() + 3_600_000))
    .toISOString()
    .replace('.000Z', '+00:00');
  return JSON.stringify(
    {
      Credentials: {
        AccessKeyId: keys.accessKeyId,
        SecretAccessKey: keys.secretAccessKey,
        SessionToken: keys.sessionToken,
        Expiration: expiration,
      },
      AssumedRoleUser: {
        AssumedRoleId: 'AROAEXAMPLEID:me',
        Arn: 'arn:aws:sts::123456789012:assumed-role/Deploy/me',
      },
    },
    null,
    4,
  );
}

/** What `aws sso get-role-credentials` prints. */
export function ssoJson(keys: SampleKeys): string {
  return JSON.stringify({
    roleCredentials: {
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
      sessionToken: keys.sessionToken,
      expiration: (keys.expiration ?? new Date(Date.now() + 3_600_000)).getTime(),
    },
  });
}
