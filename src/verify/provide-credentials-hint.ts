/**
 * The short "how to provide credentials" text `check` prints after a credentials failure. Pure.
 * (`watch` has its own, fuller prompt; this one stays minimal and self-contained.)
 */
import path from 'node:path';
import type { ProfileKind } from '../credentials/describe-profile.js';
import { shellQuote } from '../prompt/shell-quote.js';

export interface ProvideCredentialsHintInput {
  /** Absolute path of the credentials file the supervisor reads. */
  credentialsFile: string;
  profile?: string | undefined;
  /** What the profile is, from the config file: only an SSO profile is offered `aws sso login`. */
  profileKind?: ProfileKind | undefined;
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

/** The fix for the source in use: `aws sso login` only for an SSO profile. */
function loginLine(input: ProvideCredentialsHintInput): string {
  if (!input.profile) return 'Log in again: aws sso login --profile NAME, then run with --profile NAME';
  const name = shellQuote(input.profile);
  switch (input.profileKind) {
    case 'sso':
      return `Log in again: aws sso login --profile ${name}`;
    case undefined:
    case 'unknown':
      return `If profile ${input.profile} uses SSO, log in again: aws sso login --profile ${name}`;
    case 'assume-role':
      return `Profile ${input.profile} assumes a role: make its source_profile (or credential_source) work again`;
    case 'static':
      return `Profile ${input.profile} holds long-term keys: replace them with \`aws configure --profile ${name}\``;
    case 'process':
      return `Profile ${input.profile} runs a credential_process: run it by hand to see why it fails`;
    case 'web-identity':
      return `Profile ${input.profile} uses a web identity token: renew its web_identity_token_file`;
    case 'login':
      return `Profile ${input.profile} uses a login session: log in again with \`aws login --profile ${name}\``;
  }
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
  const login = loginLine(input);
  return [
    `Credentials are needed${who ? ` ${who}` : ''}. Provide them in one of these ways:`,
    `  1. Write them to ${file}:`,
    ...(input.createDirectory ? [`       mkdir -p ${shellQuote(path.dirname(file))}`] : []),
    `       ${intoFile(`aws configure export-credentials --format env${profileFlag}`, file)}`,
    `  2. ${login}`,
    '  3. Assume a role into the same file (for MFA add --serial-number MFA_DEVICE_ARN --token-code CODE):',
    `       ${intoFile(`aws sts assume-role --role-arn arn:aws:iam::${account}:role/ROLE --role-session-name dev${profileFlag}`, file)}`,
    '     or an MFA session:',
    `       ${intoFile(`aws sts get-session-token --serial-number arn:aws:iam::${account}:mfa/DEVICE --token-code CODE${profileFlag}`, file)}`,
  ].join('\n');
}
