/**
 * `cred-supervisor watch`: takes the directory's lock, cleans up after a supervisor that died, starts
 * the log, the control socket, signal and key handling around a `Supervisor`, and releases it all on
 * the way out, whatever the way out is.
 */

import type { Logger } from 'pino';
import { CommandNotFoundError } from '../child/command-errors.js';
import { killRecordedGroup } from '../child/kill-recorded-group.js';
import { resolveCommand } from '../child/resolve-command.js';
import { asWritable, type CliIo } from '../cli/cli-io.js';
import { onOutputGone } from '../cli/commands/output-gone.js';
import { refuseProjectProfileConflict } from '../cli/commands/project-profile-conflict.js';
import { shareDestination } from '../cli/commands/same-destination.js';
import { UsageError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { buildOptions, type SharedFlags } from '../cli/shared-options.js';
import { DEFAULT_COMMAND, type SupervisorOptions } from '../config/options.js';
import { startControlServer } from '../control/control-server.js';
import { LockHeldError } from '../control/errors.js';
import { installLastResort } from '../control/last-resort.js';
import {
  acquireSupervisorLock,
  type PreviousSupervisor,
  type SupervisorLock,
  warnRecordUnwritable,
} from '../control/lock.js';
import { ensureStateDir } from '../control/state-dir.js';
import { keepStatusSegment } from '../control/status-segment-file.js';
import { terminalMfaPrompt } from '../credentials/mfa-prompt.js';
import { createMfaQuestion } from '../credentials/mfa-question.js';
import { COMMAND_NOT_FOUND } from '../exec/exit-status.js';
import { createLogger, reopenLogOnSignal } from '../logging/logger.js';
import type { ProcessSpec } from '../procfile/process-spec.js';
import { readProcfile, watchProcfile } from '../procfile/read-procfile.js';
import { KEYS_HINT, registerKeys } from '../prompt/keys.js';
import { notify } from '../prompt/notify.js';
import { askMfaInTmux, shouldUseTmux, showTmuxPopup } from '../prompt/tmux-attention.js';
import { watchSsoLogin } from '../sso/watch-sso-login.js';
import { mfaQuestionTimeoutMs, Supervisor, type TerminalStream } from '../supervisor/supervisor.js';
import { backoffFromEnv } from './watch-tuning.js';

/** `watch`'s flags: the shared ones and `--procfile`. */
export type WatchFlags = SharedFlags & { procfile?: string };

function terminalStream(stream: CliIo['stdout']): TerminalStream {
  const writable = stream as Partial<TerminalStream>;
  if (typeof writable.once === 'function') return stream as TerminalStream;
  // A plain writer (tests): never asks for a drain.
  return {
    write: (chunk) => {
      stream.write(chunk as string);
      return true;
    },
    once: () => undefined,
    isTTY: stream.isTTY,
  };
}

/**
 * For tests and benchmarks only (not a user setting): the credential endpoint's advertised lease in
 * milliseconds, i.e. how soon after each fetch an SDK child asks again. Production keeps the 60 s
 * default; tests shorten it so a rotation reaches the child in a fraction of a second.
 */
export const LEASE_MS_VARIABLE = 'CRED_SUPERVISOR_LEASE_MS';

function leaseMsFrom(env: NodeJS.ProcessEnv): number | undefined {
  const text = env[LEASE_MS_VARIABLE];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(
      `Expected \`${LEASE_MS_VARIABLE}\` to be a positive whole number of milliseconds, got \`${text}\`. Unset it to use the default (60000).`,
    );
  }
  return Number(text);
}

/**
 * The processes of a `--procfile` (or config `processes` when no command is given), validated before
 * anything starts; undefined for the one-command case.
 */
function processesFor(
  procfile: string | undefined,
  commandArgs: readonly string[],
  options: SupervisorOptions,
  io: CliIo,
): ProcessSpec[] | undefined {
  if (procfile !== undefined) {
    if (commandArgs.length > 0) {
      throw new UsageError(
        `Give either --procfile ${procfile} or a command after --, not both. Put the command in the Procfile as its own \`name: command\` line.`,
      );
    }
    const parsed = readProcfile(procfile, io.cwd);
    if (!parsed.ok) throw new UsageError(`The Procfile cannot be used:\n  ${parsed.problems.join('\n  ')}`);
    return parsed.processes;
  }
  return commandArgs.length > 0 ? undefined : options.processes;
}

export async function runWatch(commandArgs: string[], flags: WatchFlags, io: CliIo): Promise<number> {
  const options = await buildOptions(flags, io.cwd, {
    onWarning: (message) => io.stderr.write(`${message}\n`),
  });
  const processes = processesFor(flags.procfile, commandArgs, options, io);
  const leaseMs = leaseMsFrom(io.env);
  const backoff = backoffFromEnv(io.env);
  const command = commandArgs.length > 0 ? commandArgs : [...(options.command ?? DEFAULT_COMMAND)];
  const stderr = terminalStream(io.stderr);
  const interactive = io.stdin?.isTTY === true && typeof io.stdin.setRawMode === 'function';
  // A command that does not exist is said before anyone is asked for credentials (or an MFA code).
  const missing = processes ? undefined : missingCommand(command, io);
  if (missing !== undefined) return missing;
  await refuseProjectProfileConflict(options, io.cwd, command);

  await ensureStateDir(options.stateDir);
  let lock: SupervisorLock;
  try {
    lock = await acquireSupervisorLock(options.stateDir, { onRecordError: warnRecordUnwritable(io.stderr) });
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
  const cleanups: (() => unknown)[] = [];
  // Removed last, after the lock is released: a Ctrl+C pressed again and again during the teardown
  // must find our handler (a stopped supervisor ignores it), not the default action, which would end
  // us before the control socket, the state record and the lock are cleaned up.
  const signalCleanups: (() => unknown)[] = [];
  signalCleanups.push(installLastResort({ lock, logger: log.logger, stderr: io.stderr }));
  try {
    if (lock.previous) await cleanUpAfterDeadSupervisor(lock.previous, log.logger, io);
    const useTmux = shouldUseTmux(io.env, interactive);
    // An MFA code is asked on this terminal when there is one, and taken from `cred-supervisor mfa`
    // in any pane either way. It gives up before the supervisor's own limit on one resolution
    // (3 min on a terminal, 1 min without), so the supervisor reports the MFA problem, not a timeout.
    const mfaQuestion = createMfaQuestion({
      ...(io.stdin && interactive
        ? {
            terminal: (signal) =>
              terminalMfaPrompt({ input: io.stdin as never, output: asWritable(io.stderr), signal }),
          }
        : {}),
      announce: (request, howToAnswer) => {
        const text = `MFA code needed for ${request.mfaSerial} (profile ${request.profile}): ${howToAnswer}.`;
        supervisor.say('warn', text);
        log.logger.warn({ event: 'mfa-question', profile: request.profile }, text);
        // Detached under tmux: asked in the person's current client; its answer goes over the socket.
        if (useTmux) {
          void askMfaInTmux(
            { ...request, stateDir: options.stateDir, cli: [process.execPath, ...process.argv.slice(1, 2)] },
            { env: io.env },
          );
        }
      },
      timeoutMs: mfaQuestionTimeoutMs(interactive),
    });
    const supervisor = new Supervisor({
      options,
      command,
      ...(processes ? { processes } : {}),
      cwd: io.cwd,
      env: io.env,
      stdout: terminalStream(io.stdout),
      stderr,
      interactive,
      sharedOutput: shareDestination(io.stdout, io.stderr),
      logger: log.logger,
      onChildGroup: (group) => lock.recordChild(group?.pgid ?? null, group?.leader ?? null),
      onOtherChildGroups: (groups) => lock.recordOtherGroups(groups),
      ...(backoff ? { backoff } : {}),
      ...(leaseMs ? { leaseMs } : {}),
      promptMfaCode: mfaQuestion.prompt,
    });
    log.logger.info(
      { event: 'start', command: command[0], delivery: options.delivery },
      'supervisor starting',
    );

    const ssoWatch = await watchSsoLogin(supervisor, {
      profile: options.profile,
      mode: options.ssoLogin ?? 'auto',
      canAsk: interactive,
      env: io.env,
      log: (text) => log.logger.warn({ event: 'sso' }, text),
      notify: (text) => void notifyPerson(text, options, io.env),
      present: (text) =>
        presentLogin(text, {
          useTmux,
          options,
          env: io.env,
          onError: (why) => log.logger.warn({ event: 'tmux-popup-failed' }, why),
        }),
    });
    cleanups.push(() => ssoWatch.stop());

    const control = await startControlServer(
      options.stateDir,
      {
        getStatus: () => ({ ...supervisor.status(), sso: ssoWatch.status() }),
        reload: async (acceptAccount) => ({
          message: await supervisor.reloadAndAnswer('reload', 15_000, acceptAccount),
        }),
        ...(processes
          ? { restart: async (name: string) => ({ message: await supervisor.restartChild(name) }) }
          : {}),
        stop: async () => {
          supervisor.requestStop('control');
          return { message: 'Stopping.' };
        },
        answerMfa: (code) => mfaQuestion.answer(code),
      },
      {
        onError: (error) =>
          log.logger.warn(
            { event: 'control-accept-failed', err: error },
            'control socket: a connection could not be accepted',
          ),
      },
    );
    lock.recordSocket(control.socketPath);
    cleanups.push(() => control.close());
    const segment = keepStatusSegment(options.stateDir, () => supervisor.status());
    supervisor.on('state', segment.update);
    cleanups.push(() => segment.close());

    const onSignal = (signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP') => () =>
      supervisor.requestStop(signal === 'SIGINT' ? 'sigint' : signal === 'SIGTERM' ? 'sigterm' : 'sighup');
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = onSignal(signal);
      process.on(signal, handler);
      signalCleanups.push(() => process.off(signal, handler));
    }
    onOutputGone([io.stdout, io.stderr], (error) => {
      log.logger.warn({ event: 'output-closed', code: error.code }, 'our output was closed; stopping');
      supervisor.requestStop('sighup');
    });
    if (flags.procfile !== undefined) {
      const procfile = flags.procfile;
      cleanups.push(
        watchProcfile(procfile, io.cwd, () =>
          supervisor.say(
            'warn',
            `${procfile} changed; the running processes are unchanged. Stop and start the supervisor to apply it.`,
          ),
        ),
      );
    }
    const onUsr1 = () => supervisor.reload('signal');
    process.on('SIGUSR1', onUsr1);
    cleanups.push(() => process.off('SIGUSR1', onUsr1));
    cleanups.push(reopenLogOnSignal(log, 'SIGUSR2'));

    if (interactive && io.stdin) {
      cleanups.push(
        registerKeys({
          stdin: io.stdin,
          onReload: () => void supervisor.reloadAndAnswer('key'),
          onStatus: () => supervisor.printCountdown(),
          onQuit: () => supervisor.requestStop('key'),
          onLogin: () => {
            if (ssoWatch.loginNow() === 'in-progress')
              supervisor.say('info', 'An SSO login is already running.');
          },
          onInterrupt: () => supervisor.requestStop('sigint'),
        }),
      );
      supervisor.say('info', KEYS_HINT);
    }
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

/** Stops every child group a supervisor that died recorded (one, or one per Procfile process). */
async function cleanUpAfterDeadSupervisor(
  previous: PreviousSupervisor,
  logger: Logger,
  io: CliIo,
): Promise<void> {
  const groups = [
    ...(previous.childPgid ? [{ pgid: previous.childPgid, leader: previous.childLeader }] : []),
    ...previous.otherGroups,
  ];
  for (const { pgid, leader } of groups) {
    const outcome = await killRecordedGroup(pgid, leader);
    logger.warn(
      {
        event: 'stale-child-group',
        pgid,
        outcome: outcome.outcome,
        ...(outcome.outcome === 'refused' ? { reason: outcome.reason } : {}),
      },
      'cleaned the child group of a supervisor that died',
    );
    if (outcome.outcome === 'refused') {
      io.stderr.write(
        `[cred-supervisor] left alone what a supervisor that died recorded (pid ${previous.pid}): ${outcome.reason}\n`,
      );
    }
    if (outcome.outcome === 'stopped') {
      io.stderr.write(
        `[cred-supervisor] stopped the processes left by a supervisor that died (pid ${previous.pid}).\n`,
      );
    }
  }
}

/** Exit 127 with the message when the command cannot be found; undefined when it can. */
function missingCommand(command: readonly string[], io: CliIo): number | undefined {
  const [name = '', ...args] = command;
  try {
    resolveCommand({ command: name, args, cwd: io.cwd, env: io.env });
    return undefined;
  } catch (error) {
    // Anything else (a wrapper it cannot see through) is reported where the command is started.
    if (!(error instanceof CommandNotFoundError)) return undefined;
    io.stderr.write(`[cred-supervisor] ${error.message}\n`);
    return COMMAND_NOT_FOUND;
  }
}

/** Bell, tmux message line, --notify-command: best effort, in the background. */
function notifyPerson(text: string, options: { notifyCommand?: string | undefined }, env: NodeJS.ProcessEnv) {
  return notify(text, { env, ...(options.notifyCommand ? { notifyCommand: options.notifyCommand } : {}) });
}

/**
 * An SSO login's URL and code, where the person is: one popup in their current tmux client when the
 * supervisor runs detached under tmux (closed when the login ends), else the notify command. The log
 * and the terminal have it either way.
 */
function presentLogin(
  text: string,
  how: {
    useTmux: boolean;
    options: { notifyCommand?: string | undefined };
    env: NodeJS.ProcessEnv;
    onError: (why: string) => void;
  },
): (() => unknown) | undefined {
  if (!how.useTmux) {
    void notifyPerson(text, how.options, how.env);
    return undefined;
  }
  const popup = showTmuxPopup('cred-supervisor: SSO login', text, { env: how.env, onError: how.onError });
  return () => void popup.then((opened) => (typeof opened === 'string' ? undefined : opened.close()));
}
