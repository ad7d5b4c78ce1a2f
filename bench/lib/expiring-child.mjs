/**
 * Helpers around bench/fixtures/expiring-child.mjs, the child the detection and restart benchmarks
 * supervise: reading its start line and its signal stamps, and watching its group disappear.
 */
import { readFile } from 'node:fs/promises';
import { fixture } from './dist.mjs';
import { isGroupGone } from './proc.mjs';
import { collectLines, startProcess, waitFor } from './processes.mjs';

export const EXPIRING_CHILD = fixture('expiring-child.mjs');

/** Its first line: `STARTED pid=<pid> spawnedAt=<ns> codeAt=<ns>`. */
export const STARTED_LINE = /^STARTED pid=(\d+) spawnedAt=(\d+) codeAt=(\d+)$/;

/** `{ pid, spawnedAt, codeAt }` from a match of STARTED_LINE (times as bigint nanoseconds). */
export function startedFacts(match) {
  return { pid: Number(match[1]), spawnedAt: BigInt(match[2]), codeAt: BigInt(match[3]) };
}

/** When process `pid` stamped receiving `signal` into `stampFile`, polled until it has. */
export function signalStampOf(stampFile, signal, pid, timeoutMs = 15_000) {
  const pattern = new RegExp(`^${signal} ${pid} (\\d+)$`, 'm');
  return waitFor(
    async () => {
      const text = await readFile(stampFile, 'utf8').catch(() => '');
      const match = pattern.exec(text);
      return match ? BigInt(match[1]) : undefined;
    },
    { pollMs: 2, timeoutMs, what: `process ${pid} to stamp ${signal}` },
  );
}

/** The moment (from here, polled every 2 ms) the child's group (itself alone) is gone. */
export function groupGoneAt(pgid) {
  return waitFor(() => (isGroupGone(pgid, [pgid]) ? process.hrtime.bigint() : undefined), {
    pollMs: 2,
    timeoutMs: 15_000,
    what: `process group ${pgid} to be gone`,
  });
}

/** Starts the child directly (no supervisor), as the baselines do. */
export function startExpiringChild(env) {
  const child = startProcess(process.execPath, [EXPIRING_CHILD], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return { process: child, stdout: collectLines(child.stdout) };
}
