/**
 * The ways to provide credentials, tailored to the source in use: a profile refreshes the way it is
 * set up (`aws sso login` only for an SSO profile), the credentials file gets the commands that write
 * it, private from the first byte (`umask 077`), for AWS CLI v2 and v1 (v1 has no
 * `export-credentials`). One list, shown by the watch prompt and by `check`. Pure text, no secret.
 */
import path from 'node:path';
import { exportCredentialsCommand, ssoLoginFixCommand } from '../credentials/fix-commands.js';
import { shellQuote } from './shell-quote.js';

export interface ProfileHint {
  name: string;
  /** From the profile's config: `sso` (sso_session/sso_start_url), other, or not known. */
  kind?: 'sso' | 'other';
  roleArn?: string;
  mfaSerial?: string;
  /** An SSO login this supervisor launched is waiting for the person (its URL and code were shown). */
  loginInProgress?: boolean;
}

export interface CredentialOptionsInput {
  /** Absolute path of the credentials file. */
  credentialsFile: string;
  /** The profile in use, when credentials come from one. */
  profile?: ProfileHint | undefined;
  /** The file's directory does not exist yet: start with `mkdir -p`. */
  createDirectory?: boolean | undefined;
}

const INDENT = '  ';

/** `(umask 077; COMMAND > FILE)`: the file is created owner-only without changing the person's shell. */
function intoFile(command: string, file: string): string {
  return `(umask 077; ${command} > ${shellQuote(file)})`;
}

function fileLines(input: CredentialOptionsInput): string[] {
  const file = input.credentialsFile;
  return [
    'Write fresh credentials to the file (watched, so picked up by itself):',
    ...(input.createDirectory ? [`${INDENT}mkdir -p ${shellQuote(path.dirname(file))}`] : []),
    `${INDENT}AWS CLI v2: ${exportCredentialsCommand(file)}`,
    `${INDENT}AWS CLI v1: ${intoFile('aws sts get-session-token --output json', file)}`,
    `${INDENT}a role:     ${intoFile('aws sts assume-role --role-arn ROLE_ARN --role-session-name dev --output json', file)}`,
  ];
}

function profileLines(profile: ProfileHint): string[] {
  const name = shellQuote(profile.name);
  switch (profile.kind) {
    case 'sso':
      // Telling the person to run a login while ours waits for their approval would start a second.
      if (profile.loginInProgress) {
        return ['An SSO login is waiting for you: open the URL above and enter its code.'];
      }
      return [`Log in again (picked up by itself):`, `${INDENT}${ssoLoginFixCommand(profile.name)}`];
    case 'other': {
      const how = profile.roleArn
        ? `it assumes ${profile.roleArn}${profile.mfaSerial ? ', asking for an MFA code here' : ''}`
        : 'credential_process, or its keys in ~/.aws/credentials';
      return [`Refresh profile ${name} the way it is set up:`, `${INDENT}${how}.`];
    }
    case undefined:
      return [
        `Refresh profile ${name} the way it is set up; if it uses SSO, log in again:`,
        `${INDENT}${ssoLoginFixCommand(profile.name)}`,
      ];
    default: {
      const never: never = profile.kind;
      throw new Error(`unknown profile kind ${String(never)}`);
    }
  }
}

/** The lines, commands unwrapped so they stay copyable; prose lines fit 80 columns for short paths. */
export function credentialOptionLines(input: CredentialOptionsInput): string[] {
  return input.profile ? profileLines(input.profile) : fileLines(input);
}
