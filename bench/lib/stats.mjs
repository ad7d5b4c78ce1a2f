/**
 * Summary statistics for benchmark samples. Percentiles use the nearest-rank method (no
 * interpolation), so every reported figure is a value that was really measured.
 */

/** Rounds to `digits` decimals (1 by default), keeping the JSON and the table short. */
export function round(value, digits = 1) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Nearest-rank percentile of already sorted numbers; `q` in [0, 1]. */
export function percentileOfSorted(sorted, q) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(samples) {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `{ n, median, p25, p75, p99, min, max }` of the samples. `samples` are kept (rounded) only when
 * there are few of them: a latency run has thousands, which belong in no report.
 */
export function summarize(samples, { keepSamples = 50, digits = 1 } = {}) {
  const finite = samples.filter((s) => Number.isFinite(s));
  if (finite.length !== samples.length) {
    throw new TypeError(
      `Expected every sample to be a finite number, got ${samples.length - finite.length} that were not.`,
    );
  }
  const sorted = [...finite].sort((a, b) => a - b);
  const summary = {
    n: sorted.length,
    median: round(median(sorted), digits),
    p25: round(percentileOfSorted(sorted, 0.25), digits),
    p75: round(percentileOfSorted(sorted, 0.75), digits),
    p99: round(percentileOfSorted(sorted, 0.99), digits),
    min: round(sorted[0], digits),
    max: round(sorted.at(-1), digits),
  };
  if (sorted.length <= keepSamples) summary.samples = finite.map((s) => round(s, digits));
  return summary;
}

/** `a / b` rounded to two decimals, or null when either side is missing or b is 0. */
export function ratio(a, b) {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return round(a / b, 2);
}

/** Nanoseconds (bigint from `process.hrtime.bigint()`) to milliseconds (number). */
export function nsToMs(ns) {
  return Number(ns) / 1e6;
}
