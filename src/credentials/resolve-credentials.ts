/**
 * PLACEHOLDER — written by the `verify` helper only so `check` can run end to end. The lead replaces
 * this file with the credentials helper's version (same signature). It reads just enough: env lines
 * from the credentials file, then the supervisor's own AWS_ACCESS_KEY_ID/... environment. No JSON
 * formats, no profiles, no permission or git checks.
 */
import { readFile } from 'node:fs/promises';
import type { SupervisorOptions } from '../config/options.js';
import { CredentialProblem } from './errors.js';
import type { AwsCredentials, ResolvedCredentials } from './types.js';

const LINE = /^\s*(?:export\s+)?([A-Z_]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S*))\s*$/;

function parseEnvLines(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = LINE.exec(line);
    if (match?.[1]) values[match[1]] = match[2] ?? match[3] ?? match[4] ?? '';
  }
  return values;
}

function fromValues(values: Record<string, string | undefined>): AwsCredentials | undefined {
  const accessKeyId = values.AWS_ACCESS_KEY_ID;
  const secretAccessKey = values.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const expiration = values.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId,
    secretAccessKey,
    ...(values.AWS_SESSION_TOKEN ? { sessionToken: values.AWS_SESSION_TOKEN } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
  };
}

export async function resolveCredentials(
  options: SupervisorOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedCredentials> {
  const text = await readFile(options.credentialsFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text !== undefined) {
    const values = parseEnvLines(text);
    const credentials = fromValues(values);
    if (!credentials) {
      throw new CredentialProblem(
        'MISSING_FIELD',
        `${options.credentialsFile} has no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY lines.`,
        'Rewrite it with `aws configure export-credentials --format env`.',
      );
    }
    const region = values.AWS_REGION || values.AWS_DEFAULT_REGION;
    return {
      credentials,
      source: { kind: 'file', description: options.credentialsFile, path: options.credentialsFile },
      ...(region ? { region } : {}),
    };
  }
  const credentials = fromValues(env);
  if (credentials) return { credentials, source: { kind: 'env', description: 'environment' } };
  throw new CredentialProblem(
    'NOT_FOUND',
    `No credentials: ${options.credentialsFile} does not exist and AWS_ACCESS_KEY_ID is not set.`,
    'Write the credentials file or pass --profile.',
  );
}
