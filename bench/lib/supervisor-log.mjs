/**
 * Reading the supervisor's own log (pino JSON lines, `time` in epoch milliseconds or ISO) to split a
 * measured interval into phases. Log times are wall-clock milliseconds; the bench measures with
 * CLOCK_MONOTONIC (`process.hrtime.bigint()`), so `epochMsOf` maps one onto the other through an
 * offset taken once at start (both clocks advance alike over a benchmark's few minutes).
 */
import { readFile } from 'node:fs/promises';

const offsetMs = Date.now() - Number(process.hrtime.bigint()) / 1e6;

/** A `process.hrtime.bigint()` value as epoch milliseconds. */
export function epochMsOf(hrtimeNs) {
  return Number(hrtimeNs) / 1e6 + offsetMs;
}

/** Every entry of the log file, each with `at` (epoch ms); an unreadable file gives []. */
export async function readLog(file) {
  const text = await readFile(file, 'utf8').catch(() => '');
  const entries = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line);
      const at = typeof entry.time === 'number' ? entry.time : Date.parse(entry.time);
      if (Number.isFinite(at)) entries.push({ ...entry, at });
    } catch {
      // A torn last line while the supervisor still writes: not ours to judge here.
    }
  }
  return entries;
}

/** The first entry at or after `fromMs` whose `event` is `event`. */
export function firstEventAfter(entries, event, fromMs) {
  return entries.find((e) => e.event === event && e.at >= fromMs);
}
