/**
 * The markdown the README shows: one table of every figure (subject and baseline side by side, the
 * ratio, the goal and whether it was met), then each measurement's notes, then the machine it ran on.
 *
 * A figure is `{ name, unit, subject, baseline, ratio, ratioOf, goal: { text, met } | null, report }`
 * where subject/baseline are `{ label, ...summarize() }` or `{ label, value }`; `report: 'p99'` shows
 * the p99 first, `'value'` a single value. `runs` overrides the count shown (default: the samples).
 */

function number(value) {
  if (value === null || value === undefined) return '–';
  if (typeof value !== 'number') return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

/** `median (min–max)`, `p99 … (p50 …)` or the single value, with the run count. */
export function formatSide(side, report) {
  if (!side) return '–';
  if (report === 'value' || side.median === undefined) {
    return side.value !== undefined ? number(side.value) : '–';
  }
  if (report === 'p99') {
    return `p99 ${number(side.p99)} (p50 ${number(side.median)}, max ${number(side.max)}; ${side.n} lines)`;
  }
  const spread = side.n > 1 ? ` (${number(side.min)}–${number(side.max)})` : '';
  return `${number(side.median)}${spread}`;
}

function verdict(goal) {
  if (!goal) return '';
  if (goal.met === true) return '✅ met';
  if (goal.met === false) return '❌ missed';
  return 'n/a';
}

function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(report) {
  const lines = [];
  lines.push(
    '| Measurement | Figure | cred-supervisor | Baseline | Ratio | Runs | Goal | |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const m of report.measurements) {
    if (m.error) {
      lines.push(`| ${cell(m.title ?? m.id)} | failed: ${cell(m.error)} | | | | | | |`);
      continue;
    }
    for (const f of m.figures ?? []) {
      const runs = f.runs ?? f.subject?.n ?? f.baseline?.n ?? 1;
      // The subject is cred-supervisor (the figure's name says how it ran); baselines differ from row
      // to row, so each is named.
      const baseline = f.baseline
        ? `${f.baseline.label ? `${cell(f.baseline.label)}: ` : ''}${formatSide(f.baseline, f.report)}`
        : '–';
      const subject = formatSide(f.subject, f.report);
      const ratio = f.ratio === null || f.ratio === undefined ? '–' : `${f.ratio}×`;
      lines.push(
        `| ${cell(m.title)} | ${cell(f.name)}${f.unit ? ` (${cell(f.unit)})` : ''} | ${subject} | ${baseline} | ${ratio} | ${runs} | ${cell(f.goal?.text ?? '')} | ${verdict(f.goal)} |`,
      );
    }
  }
  lines.push('');
  lines.push('Cells show the median and, in brackets, the min–max over the runs, unless they say otherwise.');
  lines.push('Baselines ran in the same process, interleaved round by round with the subject.');
  lines.push('');
  for (const m of report.measurements) {
    const notes = m.error ? [`Failed: ${m.error}`] : (m.notes ?? []);
    if (notes.length === 0) continue;
    const when = m.date ? `, ${m.date.slice(0, 16).replace('T', ' ')} UTC` : '';
    lines.push(`**${m.title}** (${Math.round(m.seconds ?? 0)} s${when})`);
    for (const note of notes) lines.push(`- ${note.replace(/\n/g, ' ')}`);
    lines.push('');
  }
  const env = report.environment;
  lines.push(
    `Last run ${env.date.slice(0, 16).replace('T', ' ')} UTC at commit ${env.commit ?? 'unknown'}${report.quick ? ' (`--quick`: fewer, smaller runs)' : ''}: Node ${env.node}, ${env.cpus}× ${env.cpuModel}, ${env.memoryGb} GB, ${env.os}; load average ${env.loadBefore} before, ${env.loadAfter} after; ${Math.round(report.seconds)} s in all${report.partial ? ' (only some measurements were re-run: each shows its own date)' : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
