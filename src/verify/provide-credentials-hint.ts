/**
 * The short "how to provide credentials" text `check` prints after a credentials failure. Pure.
 * (`watch` has its own, fuller prompt; this one stays minimal and self-contained.)
 */
import path from 'node:path';
import { shellQuote } from '../prompt/shell-quote.js';

export interface ProvideCredentialsHintInput {
  /** Absolute path of the credentials file the supervisor reads. */
  credentialsFile: string;
  profile?: string | undefined;
  expectAccount?: string | undefined;
  region?: string | undefined;
  /** The file's directory does not exist yet: start with `mkdir -p`. */
  createDirectory?: boolean | undefined;
}

/**
 * `umask 077` in a subshell: the file is created owner-only, as the supervisor requires, without
 * changing the person's shell.
 */
function intoFile(command: string, file: string): string {
  return `(umask 077 && ${command} > ${shellQuote(file)})`;
}

export function provideCredentialsHint(input: ProvideCredentialsHintInput): string {
  const file = input.credentialsFile;
  const account = input.expectAccount ?? 'ACCOUNT_ID';
  const profileFlag = input.profile ? ` --profile ${shellQuote(input.profile)}` : '';
  const who = [
    input.expectAccount ? `for account ${input.expectAccount}` : undefined,
    input.region ? `in ${input.region}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const login = input.profile
    ? `aws sso login --profile ${shellQuote(input.profile)}`
    : 'aws sso login --profile NAME, then run with --profile NAME';
  return [
    `Credentials are needed${who ? ` ${who}` : ''}. Provide them in one of these ways:`,
    `  1. Write them to ${file}:`,
    ...(input.createDirectory ? [`       mkdir -p ${shellQuote(path.dirname(file))}`] : []),
    `       ${intoFile(`aws configure export-credentials --format env${profileFlag}`, file)}`,
    `  2. Log in again: ${login}`,
    '  3. Assume a role into the same file (for MFA add --serial-number MFA_DEVICE_ARN --token-code CODE):',
    `       ${intoFile(`aws sts assume-role --role-arn arn:aws:iam::${account}:role/ROLE --role-session-name dev${profileFlag}`, file)}`,
    '     or an MFA session:',
    `       ${intoFile(`aws sts get-session-token --serial-number arn:aws:iam::${account}:mfa/DEVICE --token-code CODE${profileFlag}`, file)}`,
  ].join('\n');
}
