/** What a supervisor that died left running: stopped when it is provably ours, else left alone and said. */
import type { Logger } from 'pino';
import { killRecordedGroup } from '../child/kill-recorded-group.js';
import type { CliIo } from '../cli/cli-io.js';
import type { PreviousSupervisor } from '../control/lock.js';

/** Stops every child group a supervisor that died recorded (one, or one per Procfile process). */
export async function cleanUpAfterDeadSupervisor(
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
