/**
 * `cred-supervisor stop`: ask the supervisor to stop over its control socket, then wait until its
 * process is really gone, so `cred-supervisor stop && cred-supervisor watch` never meets the lock.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration } from '../../config/duration.js';
import { alreadyStopping } from '../../control/already-stopping.js';
import { requestStatus, requestStop } from '../../control/control-client.js';
import { isProcessAlive, isRecordedProcessRunning } from '../../control/liveness.js';
import { readStateRecord } from '../../control/state-record.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_STOP_TIMEOUT_MS, type StopFlags } from './stop.js';
import { reportControlFailure, supervisorStateDir } from './supervisor-dir.js';

const POLL_MS = 50;

export async function runStop(flags: StopFlags, io: CliIo): Promise<number> {
  const stateDir = await supervisorStateDir(flags, io.cwd);
  const timeoutMs = flags.timeout ?? DEFAULT_STOP_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;

  let isRunning: () => boolean;
  let pid: number | null;
  try {
    // The pid of the process that answers on the socket is the one that must go away.
    ({ pid } = await requestStatus(stateDir, { timeoutMs: Math.min(timeoutMs, 3000) }));
    isRunning = livenessOf(pid, stateDir);
    const { message } = await requestStop(stateDir, { timeoutMs: Math.max(1, deadline - Date.now()) });
    io.stdout.write(`${message}\n`);
  } catch (error) {
    // Another `stop` (or a signal) got there first: this one waits for the same exit.
    const stopping = alreadyStopping(stateDir, error);
    if (!stopping) return reportControlFailure(error, io, 'stop');
    ({ pid, isRunning } = stopping);
    io.stdout.write(`The supervisor${pid === null ? '' : ` (pid ${pid})`} is already stopping.\n`);
  }

  while (isRunning()) {
    if (Date.now() >= deadline) {
      io.stderr.write(
        `cred-supervisor: the supervisor (pid ${pid}) answered \`stop\` but was still running after ` +
          `${formatDuration(timeoutMs)}. Wait longer with --timeout, or end it with \`kill ${pid}\` ` +
          '(its child group is cleaned up at the next start).\n',
      );
      return ExitCode.error;
    }
    await delay(POLL_MS);
  }
  return ExitCode.ok;
}

/**
 * Whether `pid` is still the supervisor. The state record's start time tells it from a later process
 * that was given the same pid; without a matching record, the pid alone has to do.
 */
function livenessOf(pid: number, stateDir: string): () => boolean {
  const record = readStateRecord(stateDir);
  if (record?.pid !== pid) return () => isProcessAlive(pid);
  const recorded = {
    boot: { bootId: record.bootId, bootTime: record.bootTime },
    startTicks: record.pidStartTicks,
  };
  return () => isRecordedProcessRunning(pid, recorded);
}
