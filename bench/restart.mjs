/**
 * Fresh credentials → running again, the restart path: a child runs (with `--delivery env`) on a key
 * the fake STS has just expired, unnoticed (as `cdk watch` swallows the errors); the credentials file
 * is rewritten with a fresh key; the supervisor verifies it, stops the old child and spawns a new one.
 * Measured from the rename of the new file to
 *   - the new child process starting (its `performance.timeOrigin`, before Node's own start-up), and
 *   - the new child's first line of code running.
 * Baseline, interleaved: the bench spawning the same child itself, timed from the spawn call.
 * The endpoint delivery (new credentials served to a running child, no restart) is measured by
 * bench/endpoint-rotation.mjs.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  EXPIRING_CHILD,
  STARTED_LINE,
  signalStampOf,
  startExpiringChild,
  startedFacts,
} from './lib/expiring-child.mjs';
import { startSupervisor, stopProcess } from './lib/processes.mjs';
import { createProject } from './lib/project.mjs';
import { nsToMs, ratio, summarize } from './lib/stats.mjs';
import { epochMsOf, firstEventAfter, readLog } from './lib/supervisor-log.mjs';

export const id = 'restart';
export const title = 'Fresh credentials → running again';

async function baselineRound(project) {
  const calledAt = process.hrtime.bigint();
  const child = startExpiringChild(project.env);
  const started = startedFacts(await child.stdout.next(STARTED_LINE));
  await stopProcess(child.process, { signal: 'SIGKILL' });
  return { spawnedMs: nsToMs(started.spawnedAt - calledAt), codeMs: nsToMs(started.codeAt - calledAt) };
}

export async function run({ sts, quick, log }) {
  const rounds = quick ? 3 : 10;
  let key = sts.issueKey({ ttlMs: 3_600_000 });
  const project = await createProject({ sts, key, name: 'restart' });
  const stampFile = path.join(project.dir, 'signal-stamps');
  const supervisor = startSupervisor(project, {
    args: ['--delivery', 'env'],
    command: [process.execPath, EXPIRING_CHILD],
    env: { EXPIRING_CHILD_STAMP_FILE: stampFile },
  });
  const subject = { spawned: [], code: [], oldSigint: [] };
  const base = { spawned: [], code: [] };
  const writes = [];
  try {
    let started = startedFacts(await supervisor.stdout.next(STARTED_LINE));
    for (let r = 0; r < rounds; r++) {
      const baseFirst = r % 2 === 1;
      if (baseFirst) pushBase(base, await baselineRound(project));

      await supervisor.stderr.next(/\] running\b/);
      await sleep(300);
      const old = started;
      // The running child's key stops working and nobody notices (no error line, probe not due).
      sts.expireKey(key.accessKeyId);
      key = sts.issueKey({ ttlMs: 3_600_000 });
      const writtenAt = await project.writeCredentials(key);
      started = startedFacts(await supervisor.stdout.next(STARTED_LINE));
      const oldSigintAt = await signalStampOf(stampFile, 'SIGINT', old.pid);
      subject.spawned.push(nsToMs(started.spawnedAt - writtenAt));
      subject.code.push(nsToMs(started.codeAt - writtenAt));
      subject.oldSigint.push(nsToMs(oldSigintAt - writtenAt));
      writes.push({ writtenAt, oldSigintAt, spawnedAt: started.spawnedAt, keyId: key.accessKeyId });

      if (!baseFirst) pushBase(base, await baselineRound(project));
      log(
        `  round ${r + 1}/${rounds}: spawned ${subject.spawned.at(-1).toFixed(1)} ms after the write (old child SIGINT at ${subject.oldSigint.at(-1).toFixed(1)} ms); direct spawn ${base.spawned.at(-1).toFixed(1)} ms`,
      );
    }
  } finally {
    await supervisor.stop();
  }
  const phases = splitIntoPhases(await readLog(path.join(project.stateDir, 'supervisor.log')), writes, sts);
  await project.cleanup();

  const spawned = summarize(subject.spawned);
  const code = summarize(subject.code);
  const baseSpawned = summarize(base.spawned);
  const baseCode = summarize(base.code);
  return {
    id,
    title,
    figures: [
      {
        name: 'File rewritten → new child spawned (`--delivery env`)',
        unit: 'ms',
        subject: { label: 'supervisor restart (`--delivery env`)', ...spawned },
        baseline: { label: 'bench spawns the child itself', ...baseSpawned },
        ratio: ratio(spawned.median, baseSpawned.median),
        ratioOf: 'subject / baseline (medians)',
        goal: { text: 'p50 < 500 ms', met: spawned.median < 500 },
      },
      {
        name: "File rewritten → new child's code runs (`--delivery env`)",
        unit: 'ms',
        subject: { label: 'supervisor restart (`--delivery env`)', ...code },
        baseline: { label: 'bench spawns the child itself', ...baseCode },
        ratio: ratio(code.median, baseCode.median),
        ratioOf: 'subject / baseline (medians)',
        goal: null,
      },
    ],
    details: { rounds, delivery: 'env', oldChildSigintMs: summarize(subject.oldSigint), phasesMs: phases },
    notes: [
      '"Spawned" is the new process\'s performance.timeOrigin (taken as Node starts, a few ms after exec); "code runs" adds Node\'s own start-up.',
      `Median phases: rename → file change reported (chokidar awaitWriteFinish + debounce) → verification reaches STS ${phases.writeToVerificationAtSts?.median} ms; → verified ${phases.verificationAtStsToVerified?.median} ms; → old child gets SIGINT ${phases.verifiedToOldSigint?.median} ms; → new child spawned ${phases.oldSigintToSpawned?.median} ms (old group gone, then spawn).`,
    ],
  };
}

/** Splits each round at the verification request the fake STS saw and the supervisor's log. */
function splitIntoPhases(entries, writes, sts) {
  const phases = {
    writeToVerificationAtSts: [],
    verificationAtStsToVerified: [],
    verifiedToOldSigint: [],
    oldSigintToSpawned: [],
  };
  for (const { writtenAt, oldSigintAt, spawnedAt, keyId } of writes) {
    const written = epochMsOf(writtenAt);
    const verification = sts.requests.find((r) => r.accessKeyId === keyId && r.at >= written - 1);
    const verified = firstEventAfter(entries, 'credentials-verified', written - 1);
    if (!verification || !verified) continue;
    phases.writeToVerificationAtSts.push(verification.at - written);
    phases.verificationAtStsToVerified.push(verified.at - verification.at);
    phases.verifiedToOldSigint.push(Math.max(0, epochMsOf(oldSigintAt) - verified.at));
    phases.oldSigintToSpawned.push(nsToMs(spawnedAt - oldSigintAt));
  }
  return Object.fromEntries(
    Object.entries(phases).map(([name, samples]) => [name, samples.length ? summarize(samples) : null]),
  );
}

function pushBase(base, round) {
  base.spawned.push(round.spawnedMs);
  base.code.push(round.codeMs);
}
