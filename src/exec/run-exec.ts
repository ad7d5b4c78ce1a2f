/**
 * `cred-supervisor exec -- command`: resolve → verify (refusing exactly what `check` refuses, with the
 * same exit codes) → one status line → run the command in the foreground with the credentials
 * delivered per `--delivery` → pass its exit code through. With endpoint delivery, credentials are
 * refreshed ahead of expiry while it runs, so a long deploy survives a rotation.
 */

import { CommandNotFoundError, UnsupportedCommandError } from '../child/command-errors.js';
import { resolveCommand } from '../child/resolve-command.js';
import { ChildSpawnError } from '../child/spawn-child.js';
import { asWritable, type CliIo, useColor } from '../cli/cli-io.js';
import { refuseProjectProfileConflict } from '../cli/commands/project-profile-conflict.js';
import { ssoBeforeResolve } from '../cli/commands/sso-before-resolve.js';
import { UsageError } from '../cli/errors.js';
import { ExitCode, exitCodeForFailure } from '../cli/exit-codes.js';
import { buildOptions, type SharedFlags } from '../cli/shared-options.js';
import { childDelivery } from '../compat/credential-route.js';
import { inspectCommand } from '../compat/inspect-command.js';
import type { SupervisorOptions } from '../config/options.js';
import { terminalMfaPrompt } from '../credentials/mfa-prompt.js';
import { resolveCredentials } from '../credentials/resolve-credentials.js';
import type { AwsCredentials } from '../credentials/types.js';
import { createLogger, type SupervisorLogger } from '../logging/logger.js';
import { registerSecret, scrubSecrets } from '../logging/redact.js';
import { notify } from '../prompt/notify.js';
import { formatChecklist } from '../verify/checklist.js';
import { resolveAndVerify, type Verification } from '../verify/resolve-and-verify.js';
import { verifyCredentials } from '../verify/verify-credentials.js';
import {
  type CredentialRefresher,
  type RefreshEvent,
  startCredentialRefresher,
} from './credential-refresher.js';
import { type Delivered, deliverCredentials } from './deliver-credentials.js';
import {
  candidateRefusedLine,
  cannotRefreshWarning,
  describeCommand,
  envDeliveryWarning,
  expiredLine,
  killedLine,
  notificationText,
  refreshedLine,
  startLine,
} from './exec-messages.js';
import { COMMAND_NOT_FOUND, COMMAND_NOT_RUNNABLE, exitCodeOf } from './exit-status.js';
import { spawnForegroundChild } from './foreground-child.js';
import { forwardSignals } from './signal-forwarding.js';
import { isInTerminalForeground } from './terminal-foreground.js';

/** `exec` takes the shared flags only. */
export type ExecFlags = SharedFlags;

type Verified = Extract<Verification, { ok: true }>;

interface Run {
  options: SupervisorOptions;
  command: readonly string[];
  io: CliIo;
  log: SupervisorLogger;
  say: (text: string) => void;
  /** Set by `--delivery profile` (or AWS_PROFILE): the profile the command reads itself. */
  childProfile?: string | undefined;
}

/** What is started for the command and must be undone when it ends. */
interface Resources {
  delivered?: Delivered;
  refresher?: CredentialRefresher;
  stopForwarding?: () => void;
}

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
  const run: Run = { options, command, io, log, say, childProfile };
  try {
    return await verifyThenRun(run);
  } finally {
    log.close();
  }
}

async function verifyThenRun(run: Run): Promise<number> {
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

/** The executable to start: resolved like `watch` does (node_modules/.bin first), else as given. */
function chooseExecutable(run: Run): { file: string; args: string[] } | number {
  const [name = '', ...args] = run.command;
  try {
    const resolved = resolveCommand({ command: name, args, cwd: run.io.cwd, env: run.io.env });
    for (const warning of resolved.warnings) run.say(`cred-supervisor: ${warning}`);
    return { file: resolved.file, args: resolved.args };
  } catch (error) {
    // `watch` refuses wrappers it cannot see through (`npm run x` with a shell script, `npm publish`)
    // because it must stop the program itself; `exec` runs in the foreground, where Ctrl+C reaches
    // every process of the command anyway, so it runs them as given.
    if (error instanceof UnsupportedCommandError) return { file: name, args };
    if (error instanceof CommandNotFoundError) {
      run.say(`cred-supervisor: ${error.message}`);
      return COMMAND_NOT_FOUND;
    }
    throw error;
  }
}

async function runCommand(run: Run, verified: Verified, resources: Resources): Promise<number> {
  const { options, io, log, say } = run;
  const executable = chooseExecutable(run);
  if (typeof executable === 'number') return executable;
  const { credentials } = verified.resolved;
  const region = verified.region.region;
  const now = Date.now();
  const expiresAt = credentials.expiration?.getTime();

  // A command that reads a profile itself (cdk.json's, its own --profile) is handed that profile
  // with the person's own AWS files: the route decides, as for `watch`.
  const { route } = await inspectCommand({
    command: run.command,
    cwd: io.cwd,
    env: io.env,
    delivery: options.delivery,
    profile: run.childProfile,
  });
  const handed = childDelivery(route, options.delivery);
  if (route.kind === 'profile' && options.delivery !== 'profile') say(`cred-supervisor: ${route.why}`);

  resources.delivered = await deliverCredentials({
    delivery: handed.delivery,
    credentials,
    region,
    baseEnv: io.env,
    stateDir: options.stateDir,
    profile: handed.profile ?? run.childProfile,
  });
  const { env, endpoint } = resources.delivered;

  say(startLine({ account: verified.identity.account, expiresAt: expiresAt ?? null, now }));
  const how = { credentialsFile: options.credentialsFile, profile: options.profile };
  if (options.delivery === 'env' && expiresAt !== undefined && expiresAt - now < options.refreshBeforeMs) {
    say(
      envDeliveryWarning({
        ...how,
        command: run.command,
        expiresAt,
        now,
        refreshBeforeMs: options.refreshBeforeMs,
      }),
    );
  }
  if (endpoint) {
    resources.refresher = startCredentialRefresher({
      inUse: { resolved: verified.resolved, account: verified.identity.account },
      refreshBeforeMs: options.refreshBeforeMs,
      stopBeforeMs: options.stopBeforeMs,
      // No MFA prompt here: the command owns the terminal now.
      resolve: () =>
        resolveCredentials({
          credentialsFile: options.credentialsFile,
          ...(options.profile ? { profile: options.profile } : {}),
          ...(options.region ? { region: options.region } : {}),
          env: io.env,
        }),
      verify: (candidate: AwsCredentials) =>
        verifyCredentials(candidate, { region, expectAccount: options.expectAccount, env: io.env }),
      serve: (fresh) => {
        registerSecret(fresh.secretAccessKey);
        registerSecret(fresh.sessionToken);
        endpoint.serve(fresh);
      },
      onEvent: (event) => reportRefresh(run, event),
    });
  }

  let child: Awaited<ReturnType<typeof spawnForegroundChild>>;
  try {
    child = await spawnForegroundChild({ file: executable.file, args: executable.args, cwd: io.cwd, env });
  } catch (error) {
    if (!(error instanceof ChildSpawnError)) throw error;
    say(`cred-supervisor: ${error.message}`);
    return error.code === 'EACCES'
      ? COMMAND_NOT_RUNNABLE
      : error.code === 'ENOENT'
        ? COMMAND_NOT_FOUND
        : ExitCode.error;
  }
  log.logger.info({ event: 'command-started', pid: child.pid, file: executable.file }, 'command started');
  resources.stopForwarding = forwardSignals({
    pid: child.pid,
    killAfterMs: options.stopGraceMs,
    isForeground: isInTerminalForeground,
    onEvent: (event) => {
      log.logger.info({ event: 'signal', signal: event.signal, action: event.action }, 'signal');
      if (event.action === 'killed') say(killedLine(event.afterMs));
    },
  });
  const exit = await child.exited;
  log.logger.info(
    { event: 'command-exited', exitCode: exit.exitCode, signal: exit.signal },
    'command exited',
  );
  return exitCodeOf(exit);
}

/** Bell, tmux message line, --notify-command: best effort, in the background. */
function callForAttention(run: Run, expiresAt: number): void {
  const { io, options, log } = run;
  void notify(notificationText(run.command, expiresAt), {
    terminal: io.stderr,
    env: io.env,
    ...(options.notifyCommand ? { notifyCommand: options.notifyCommand } : {}),
    onError: (channel, error) =>
      log.logger.warn({ event: 'notify-failed', channel, error: error.message }, 'notify failed'),
  });
}

function reportRefresh(run: Run, event: RefreshEvent): void {
  const { log, say, options } = run;
  const how = { credentialsFile: options.credentialsFile, profile: options.profile };
  const now = Date.now();
  switch (event.kind) {
    case 'refreshed': {
      const expiresAt = event.resolved.credentials.expiration?.getTime() ?? null;
      log.logger.info(
        { event: 'refreshed', account: event.account, expiresAt, source: event.resolved.source.description },
        'fresh credentials served',
      );
      say(
        refreshedLine({
          account: event.account,
          expiresAt,
          now,
          sourceDescription: event.resolved.source.description,
        }),
      );
      return;
    }
    case 'cannot-refresh':
      log.logger.warn({ event: 'cannot-refresh', detail: event.detail }, 'no fresher credentials');
      callForAttention(run, event.expiresAt);
      say(
        cannotRefreshWarning({
          ...how,
          command: run.command,
          expiresAt: event.expiresAt,
          now,
          detail: event.detail,
        }),
      );
      return;
    case 'candidate-refused':
      log.logger.warn({ event: 'candidate-refused', detail: event.detail }, 'new credentials not used');
      say(candidateRefusedLine(event.detail));
      return;
    case 'expired':
      log.logger.warn(
        { event: 'expired', expiresAt: new Date(event.expiresAt).toISOString() },
        'credentials expired',
      );
      say(expiredLine({ ...how, command: run.command, expiresAt: event.expiresAt }));
      return;
    case 'attempt-failed':
      log.logger.debug({ event: 'refresh-attempt', detail: event.detail }, 'no fresher credentials yet');
      return;
  }
}
