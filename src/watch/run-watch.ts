/**
 * `cred-supervisor watch`: takes the directory's lock, cleans up after a supervisor that died, starts
 * the log, the control socket, signal and key handling around a `Supervisor`, and releases it all on
 * the way out, whatever the way out is. Each part's wiring is a file of its own in this folder.
 */
import type { CliIo } from '../cli/cli-io.js';
import { refuseProjectProfileConflict } from '../cli/commands/project-profile-conflict.js';
import { ExitCode } from '../cli/exit-codes.js';
import { buildOptions, type SharedFlags } from '../cli/shared-options.js';
import { DEFAULT_COMMAND } from '../config/options.js';
import { LockHeldError } from '../control/errors.js';
import { installLastResort } from '../control/last-resort.js';
import { acquireSupervisorLock, type SupervisorLock, warnRecordUnwritable } from '../control/lock.js';
import { ensureStateDir } from '../control/state-dir.js';
import { statusSegmentFiles } from '../control/status-segment.js';
import { createLogger } from '../logging/logger.js';
import { shouldUseTmux } from '../prompt/tmux-attention.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { cleanUpAfterDeadSupervisor } from './dead-supervisor.js';
import { missingCommand } from './missing-command.js';
import { shareDestination } from './same-destination.js';
import { terminalStream } from './terminal-stream.js';
import type { WatchContext } from './watch-context.js';
import { serveControl } from './watch-control.js';
import { handleKeys } from './watch-keys.js';
import { watchMfaQuestion } from './watch-mfa.js';
import { processesFor, reportProcfileEdits } from './watch-processes.js';
import { handleNudges, handleStopSignals } from './watch-signals.js';
import { watchSso } from './watch-sso.js';
import { backoffFromEnv, leaseMsFrom } from './watch-tuning.js';

/** `watch`'s flags: the shared ones and `--procfile`. */
export type WatchFlags = SharedFlags & { procfile?: string };

export async function runWatch(commandArgs: string[], flags: WatchFlags, io: CliIo): Promise<number> {
  const options = await buildOptions(flags, io.cwd, {
    onWarning: (message) => io.stderr.write(`${message}\n`),
  });
  const processes = processesFor(flags.procfile, commandArgs, options, io);
  const leaseMs = leaseMsFrom(io.env);
  const backoff = backoffFromEnv(io.env);
  const command = commandArgs.length > 0 ? commandArgs : [...(options.command ?? DEFAULT_COMMAND)];
  const interactive = io.stdin?.isTTY === true && typeof io.stdin.setRawMode === 'function';
  const missing = processes ? undefined : missingCommand(command, io);
  if (missing !== undefined) return missing;
  await refuseProjectProfileConflict(options, io.cwd, command);

  await ensureStateDir(options.stateDir);
  let lock: SupervisorLock;
  try {
    lock = await acquireSupervisorLock(options.stateDir, {
      onRecordError: warnRecordUnwritable(io.stderr),
      onWaitForDeadHolder: (pid) =>
        io.stderr.write(
          `[cred-supervisor] the supervisor that ran here${pid === null ? '' : ` (pid ${pid})`} is gone but its lock is left; taking it over in a few seconds.\n`,
        ),
    });
  } catch (error) {
    if (error instanceof LockHeldError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.error;
    }
    throw error;
  }
  const log = createLogger({
    file: options.logFile,
    level: options.logLevel,
    warn: (message) => io.stderr.write(message),
  });
  const context: WatchContext = {
    io,
    options,
    interactive,
    useTmux: shouldUseTmux(io.env, interactive),
    logger: log.logger,
  };
  const cleanups: (() => unknown)[] = [];
  // Removed last, after the lock is released (see handleStopSignals).
  const signalCleanups: (() => unknown)[] = [];
  signalCleanups.push(installLastResort({ lock, logger: log.logger, stderr: io.stderr }));
  try {
    if (lock.previous) await cleanUpAfterDeadSupervisor(lock.previous, log.logger, io);
    const mfaQuestion = watchMfaQuestion(context, (text) => supervisor.say('warn', text));
    const supervisor = new Supervisor({
      options,
      command,
      ...(processes ? { processes } : {}),
      cwd: io.cwd,
      env: io.env,
      stdout: terminalStream(io.stdout),
      stderr: terminalStream(io.stderr),
      interactive,
      sharedOutput: shareDestination(io.stdout, io.stderr),
      logger: log.logger,
      onChildGroup: (group) => lock.recordChild(group?.pgid ?? null, group?.leader ?? null),
      onOtherChildGroups: (groups) => lock.recordOtherGroups(groups),
      // A `cat` of a segment cannot check the process: after a SIGKILL, no segment beats a stale one.
      removeIfSupervisorDies: statusSegmentFiles(options.stateDir),
      ...(backoff ? { backoff } : {}),
      ...(leaseMs ? { leaseMs } : {}),
      promptMfaCode: mfaQuestion.prompt,
    });
    log.logger.info(
      { event: 'start', command: command[0], delivery: options.delivery },
      'supervisor starting',
    );

    const ssoWatch = await watchSso(supervisor, context);
    cleanups.push(() => ssoWatch.stop());
    const parts = { lock, ssoWatch, mfaQuestion, severalProcesses: processes !== undefined };
    cleanups.push(...(await serveControl(supervisor, parts, context)));
    signalCleanups.push(...handleStopSignals(supervisor, [io.stdout, io.stderr], log));
    if (flags.procfile !== undefined) {
      cleanups.push(
        reportProcfileEdits(flags.procfile, io.cwd, (level, text) => supervisor.say(level, text)),
      );
    }
    cleanups.push(...handleNudges(supervisor, log));
    if (interactive && io.stdin) cleanups.push(handleKeys(supervisor, io.stdin, ssoWatch));
    const code = await supervisor.run();
    log.logger.info({ event: 'exit', code }, 'supervisor exiting');
    return code;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    log.close();
    await lock.release();
    for (const cleanup of signalCleanups) cleanup();
  }
}
