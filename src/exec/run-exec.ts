/**
 * `cred-supervisor exec -- command`: resolve → verify (refusing exactly what `check` refuses, with the
 * same exit codes) → one status line → run the command in the foreground with the credentials
 * delivered per `--delivery` → pass its exit code through. With endpoint delivery, credentials are
 * refreshed ahead of expiry while it runs, so a long deploy survives a rotation (run-command.ts).
 */

import { asWritable, type CliIo, useColor } from '../cli/cli-io.js';
import { refuseProjectProfileConflict } from '../cli/commands/project-profile-conflict.js';
import { ssoBeforeResolve } from '../cli/commands/sso-before-resolve.js';
import { UsageError } from '../cli/errors.js';
import { exitCodeForFailure } from '../cli/exit-codes.js';
import { buildOptions, type SharedFlags } from '../cli/shared-options.js';
import { terminalMfaPrompt } from '../credentials/mfa-prompt.js';
import { createLogger } from '../logging/logger.js';
import { registerSecret, scrubSecrets } from '../logging/redact.js';
import { formatChecklist } from '../verify/checklist.js';
import { resolveAndVerify } from '../verify/resolve-and-verify.js';
import { describeCommand } from './exec-messages.js';
import type { ExecRun } from './exec-run.js';
import { type Resources, runCommand } from './run-command.js';

/** `exec` takes the shared flags only. */
export type ExecFlags = SharedFlags;

export async function runExec(command: readonly string[], flags: ExecFlags, io: CliIo): Promise<number> {
  const options = await buildOptions(flags, io.cwd, {
    onWarning: (message) => io.stderr.write(`${message}\n`),
  });
  if (command.length === 0 || command[0] === '') {
    throw new UsageError('Expected a command after `--`, e.g. `cred-supervisor exec -- cdk deploy`.');
  }
  await refuseProjectProfileConflict(options, io.cwd, command);
  const childProfile = options.delivery === 'profile' ? (options.profile ?? io.env.AWS_PROFILE) : undefined;
  if (options.delivery === 'profile' && !childProfile) {
    throw new UsageError(
      'Expected `--profile NAME` with `--delivery profile` (the command reads that profile itself), got none ' +
        '(and no AWS_PROFILE). Pass --profile NAME, or use --delivery endpoint.',
    );
  }
  const say = (text: string) => {
    io.stderr.write(`${scrubSecrets(text)}\n`);
  };
  const log = createLogger({
    file: options.logFile,
    level: options.logLevel,
    warn: (message) => io.stderr.write(message),
    base: { command: 'exec' },
  });
  const run: ExecRun = { options, command, io, log, say, childProfile };
  try {
    return await verifyThenRun(run);
  } finally {
    log.close();
  }
}

async function verifyThenRun(run: ExecRun): Promise<number> {
  const { options, io, log } = run;
  await ssoBeforeResolve(options, io);
  const promptMfaCode = io.stdin
    ? terminalMfaPrompt({ input: io.stdin, output: asWritable(io.stderr) })
    : undefined;
  const verification = await resolveAndVerify({
    options,
    env: io.env,
    promptMfaCode,
    profileOnly: run.childProfile,
    cwd: io.cwd,
    command: run.command,
  });
  if (!verification.ok) {
    const { failure } = verification;
    log.logger.warn(
      { event: 'verification-failed', reason: failure.reason, code: failure.code },
      failure.message,
    );
    io.stderr.write(formatChecklist(verification.facts, { color: useColor(io.stderr, io.env) }));
    // The exit code that follows is ours, not the command's: say so.
    run.say(`\ncred-supervisor: \`${describeCommand(run.command)}\` was not run.`);
    return exitCodeForFailure(failure.reason);
  }
  const { credentials, source } = verification.resolved;
  registerSecret(credentials.secretAccessKey);
  registerSecret(credentials.sessionToken);
  log.logger.info(
    {
      event: 'verified',
      account: verification.identity.account,
      arn: verification.identity.arn,
      expiresAt: credentials.expiration?.toISOString(),
      source: source.description,
      delivery: options.delivery,
    },
    'credentials verified',
  );

  const resources: Resources = {};
  try {
    return await runCommand(run, verification, resources);
  } finally {
    resources.stopForwarding?.();
    resources.refresher?.stop();
    await resources.delivered?.close();
  }
}
