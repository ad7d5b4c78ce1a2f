/**
 * How the outside world stops or nudges a running `watch`: SIGINT/SIGTERM/SIGHUP and a closed output
 * stop it, SIGUSR1 reloads credentials, SIGUSR2 reopens the log (logrotate).
 */
import type { OutputStream } from '../cli/cli-io.js';
import { onOutputGone } from '../cli/commands/output-gone.js';
import { reopenLogOnSignal, type SupervisorLogger } from '../logging/logger.js';
import type { Supervisor } from '../supervisor/supervisor.js';

const STOP_SIGNALS = { SIGINT: 'sigint', SIGTERM: 'sigterm', SIGHUP: 'sighup' } as const;

/**
 * The stop signals' handlers. Their removal is for the very end, after the lock is released: a Ctrl+C
 * pressed again and again during the teardown must find our handler (a stopped supervisor ignores
 * it), not the default action, which would end us before the control socket, the state record and
 * the lock are cleaned up.
 */
export function handleStopSignals(
  supervisor: Supervisor,
  output: readonly OutputStream[],
  log: SupervisorLogger,
) {
  const removals = (Object.keys(STOP_SIGNALS) as (keyof typeof STOP_SIGNALS)[]).map((signal) => {
    const handler = () => supervisor.requestStop(STOP_SIGNALS[signal]);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  onOutputGone(output, (error) => {
    log.logger.warn({ event: 'output-closed', code: error.code }, 'our output was closed; stopping');
    supervisor.requestStop('sighup');
  });
  return removals;
}

/** SIGUSR1 reloads, SIGUSR2 reopens the log; returns what removes both. */
export function handleNudges(supervisor: Supervisor, log: SupervisorLogger): (() => unknown)[] {
  const onUsr1 = () => supervisor.reload('signal');
  process.on('SIGUSR1', onUsr1);
  return [() => process.off('SIGUSR1', onUsr1), reopenLogOnSignal(log, 'SIGUSR2')];
}
