/**
 * Figures of a detector on the corpus: recall with the right kind over the credential errors, false
 * alarms over the look-alikes, per split and per program. Shared by the corpus test and
 * bench/detection-corpus.mjs so both report the same numbers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS_PATH = fileURLToPath(new URL('credential-errors.jsonl', import.meta.url));

export function readCorpus(path = CORPUS_PATH) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

function figuresOf(results) {
  const positives = results.filter((r) => r.entry.should_trigger);
  const lookAlikes = results.filter((r) => !r.entry.should_trigger);
  const right = positives.filter((r) => r.got === r.entry.kind).length;
  const alarms = lookAlikes.filter((r) => r.got !== null).length;
  return {
    positives: positives.length,
    right,
    recall: positives.length === 0 ? 1 : right / positives.length,
    lookAlikes: lookAlikes.length,
    alarms,
    falseAlarmRate: lookAlikes.length === 0 ? 0 : alarms / lookAlikes.length,
  };
}

/**
 * Runs `detect` over every entry. Returns figures for each split and each (split, program), and the
 * misses: positives with the wrong kind or none, look-alikes that fired.
 */
export function evaluate(entries, detect) {
  const results = entries.map((entry) => ({ entry, got: detect(entry.text) }));
  const splits = {};
  const programs = {};
  for (const split of ['tune', 'heldout']) {
    const inSplit = results.filter((r) => r.entry.split === split);
    splits[split] = figuresOf(inSplit);
    for (const program of [...new Set(inSplit.map((r) => r.entry.program))].sort()) {
      programs[`${split}:${program}`] = figuresOf(inSplit.filter((r) => r.entry.program === program));
    }
  }
  const misses = results.filter((r) => (r.entry.should_trigger ? r.got !== r.entry.kind : r.got !== null));
  return { splits, programs, misses };
}

const percent = (x) => `${(100 * x).toFixed(1)} %`;

/** A plain-text table of the figures, one row per split and program. */
export function formatFigures({ splits, programs }) {
  const rows = [['split', 'program', 'recall (right kind)', 'false alarms']];
  const row = (split, program, f) => [
    split,
    program,
    f.positives === 0 ? '-' : `${f.right}/${f.positives} ${percent(f.recall)}`,
    f.lookAlikes === 0 ? '-' : `${f.alarms}/${f.lookAlikes} ${percent(f.falseAlarmRate)}`,
  ];
  for (const split of ['tune', 'heldout']) {
    rows.push(row(split, 'ALL', splits[split]));
    for (const [key, f] of Object.entries(programs)) {
      if (key.startsWith(`${split}:`)) rows.push(row(split, key.slice(split.length + 1), f));
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
