/**
 * `exec`'s command, once its credentials are verified: handed them, started in the foreground with
 * signals passed on, refreshed while it runs (endpoint delivery), its exit code passed through.
 */
import { ChildSpawnError } from '../child/spawn-child.js';
import { ExitCode } from '../cli/exit-codes.js';
import { chooseExecutable } from './choose-executable.js';
import type { CredentialRefresher } from './credential-refresher.js';
import type { Delivered } from './deliver-credentials.js';
import { envDeliveryWarning, killedLine, startLine } from './exec-messages.js';
import type { ExecRun } from './exec-run.js';
import { COMMAND_NOT_FOUND, COMMAND_NOT_RUNNABLE, exitCodeOf } from './exit-status.js';
import { spawnForegroundChild } from './foreground-child.js';
import { handCredentials, type Verified } from './hand-credentials.js';
import { refreshWhileRunning } from './refresh-while-running.js';
import { forwardSignals } from './signal-forwarding.js';
import { isInTerminalForeground } from './terminal-foreground.js';

/** What is started for the command and must be undone when it ends (by the caller, whatever happens). */
export interface Resources {
  delivered?: Delivered;
  refresher?: CredentialRefresher;
  stopForwarding?: () => void;
}

export async function runCommand(run: ExecRun, verified: Verified, resources: Resources): Promise<number> {
  const { options, io, log, say } = run;
  const executable = chooseExecutable(run);
  if (typeof executable === 'number') return executable;
  const now = Date.now();
  const expiresAt = verified.resolved.credentials.expiration?.getTime();

  resources.delivered = await handCredentials(run, verified);
  const { env, endpoint } = resources.delivered;

  say(startLine({ account: verified.identity.account, expiresAt: expiresAt ?? null, now }));
  if (options.delivery === 'env' && expiresAt !== undefined && expiresAt - now < options.refreshBeforeMs) {
    say(
      envDeliveryWarning({
        credentialsFile: options.credentialsFile,
        profile: options.profile,
        command: run.command,
        expiresAt,
        now,
        refreshBeforeMs: options.refreshBeforeMs,
      }),
    );
  }
  if (endpoint) resources.refresher = refreshWhileRunning(run, verified, endpoint);

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
