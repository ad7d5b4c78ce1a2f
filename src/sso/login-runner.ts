/**
 * Runs one SSO login: `aws sso login` when the AWS CLI on PATH has it (v2), else the built-in device
 * authorization flow (the AWS CLI v1 has no `sso login`, and a CDK project needs no AWS CLI at all).
 * Either way the token ends up in the SSO cache where every tool finds it.
 */
import { CredentialProblem } from '../credentials/errors.js';
import { type PendingAuthorization, runDeviceLogin } from './device-authorization.js';
import { awsSsoLoginArgs, awsSsoLoginCommand, type SsoProfile } from './sso-profile.js';

export type SsoLoginTool = 'aws-cli' | 'built-in';

export interface SsoLoginRunOptions {
  env: NodeJS.ProcessEnv;
  /** Where the login talks to the person: the URL and code, the AWS CLI's own lines. */
  output: { write(text: string): unknown };
  signal?: AbortSignal;
  /** Shown the URL and code of the built-in flow (a tmux popup, a notification), besides `output`. */
  onPending?: (pending: PendingAuthorization) => void;
}

/** Whether `aws` on PATH is the AWS CLI v2 (`aws-cli/2.x` in `aws --version`; v1 prints `aws-cli/1.x`). */
export async function awsCliHasSsoLogin(env: NodeJS.ProcessEnv): Promise<boolean> {
  // Imported here, not at the top: a supervisor that never logs in keeps execa out of its memory.
  const { execa } = await import('execa');
  const result = await execa('aws', ['--version'], { env, extendEnv: false, reject: false, timeout: 10_000 });
  return /\baws-cli\/([2-9]|\d{2,})\./.test(`${result.stdout} ${result.stderr}`);
}

export function pendingAuthorizationText(profile: SsoProfile, pending: PendingAuthorization): string {
  return (
    `SSO login for profile ${profile.profile}: open ${pending.verificationUri} and enter the code ${pending.userCode}\n` +
    `  (or open ${pending.verificationUriComplete}); the code is valid until ${pending.expiresAt.toISOString()}.\n`
  );
}

async function runAwsCli(profile: SsoProfile, options: SsoLoginRunOptions): Promise<void> {
  const command = awsSsoLoginCommand(profile);
  options.output.write(`Running: ${command}\n`);
  const { execa } = await import('execa');
  const child = execa('aws', awsSsoLoginArgs(profile), {
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    buffer: false,
    ...(options.signal && { cancelSignal: options.signal }),
  });
  child.stdout?.on('data', (chunk: Buffer) => options.output.write(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => options.output.write(chunk.toString('utf8')));
  const result = await child;
  if (result.exitCode === 0) return;
  throw new CredentialProblem(
    'SSO_EXPIRED',
    `SSO login for profile ${profile.profile}: \`${command}\` ${result.isCanceled ? 'was cancelled' : `ended with exit code ${result.exitCode ?? result.signal}`} (its output is above).`,
    'Run `cred-supervisor login` to try again.',
  );
}

export async function runSsoLogin(profile: SsoProfile, options: SsoLoginRunOptions): Promise<SsoLoginTool> {
  if (await awsCliHasSsoLogin(options.env)) {
    await runAwsCli(profile, options);
    return 'aws-cli';
  }
  options.output.write(
    `No AWS CLI v2 on PATH (\`aws sso login\` unavailable): logging in to ${profile.startUrl} directly.\n`,
  );
  await runDeviceLogin(profile, {
    env: options.env,
    ...(options.signal && { signal: options.signal }),
    onPending: (pending) => {
      options.output.write(pendingAuthorizationText(profile, pending));
      options.onPending?.(pending);
    },
  });
  return 'built-in';
}
