#!/usr/bin/env node
/**
 * Builds test/corpus/credential-errors.jsonl, the detector's corpus, from:
 * - service-errors.mjs: AWS error codes and messages, crossed with every program's way of printing them
 *   (render.mjs);
 * - program-messages.mjs: messages the SDKs and CLIs print themselves, with their sources;
 * - the team's shared corpus (test/fixtures/credential-errors.jsonl, a copy of
 *   ../shared/corpus/credential-errors.jsonl);
 * - "foreign" copies: positives relayed from Lambda logs or CloudFormation events, which must stay silent.
 *
 * Every line gets a `split`: `heldout` for about 30 % of the items, decided by a hash of the item's
 * `group` (the undecorated line), never by how the detector does on it. The split is fixed before any
 * tuning and `test/detect/credential-corpus.test.ts` re-checks it, so lines cannot move between splits.
 *
 * Run: node test/corpus/build-credential-corpus.mjs   (deterministic: same input, same file)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROGRAM_MESSAGES } from './program-messages.mjs';
import { decorate, foreign, SERVICE_ERROR_RENDERERS, unit } from './render.mjs';
import { SERVICE_ERRORS } from './service-errors.mjs';
import { splitOf } from './split.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** The corpus entries, in file order; pure (reads only the shared-corpus copy). */
export function buildCorpusEntries() {
  const entries = [];
  const seen = new Set();

  function add({ text, kind, category, program, source, group, variant }) {
    if (seen.has(text)) return;
    seen.add(text);
    entries.push({
      text,
      kind,
      should_trigger: kind !== null,
      category: category ?? kind,
      program,
      source,
      variant,
      group,
      split: splitOf(group),
    });
  }

  // Service errors, as each program prints them; the service varies with the renderer.
  for (const error of SERVICE_ERRORS) {
    SERVICE_ERROR_RENDERERS.forEach((renderer, index) => {
      // A shape that prints only the code (or only the message) cannot tell apart errors that share it
      // (SignatureDoesNotMatch is a wrong secret or a skewed clock): such lines are left out.
      if (renderer.shows === 'code' && error.codeIdentifies === false) return;
      if (renderer.shows === 'message' && error.messageIdentifies === false) return;
      const service = error.services[index % error.services.length];
      const line = renderer.render({ ...error, service }, `${error.code}|${error.message}|${index}`);
      const group = line;
      const { text, decoration } = decorate(line, group);
      add({
        text,
        kind: error.kind,
        category: error.category,
        program: renderer.program,
        source: `${error.source}; printed as in ${renderer.source}`,
        group,
        variant: decoration,
      });
    });
  }

  for (const family of PROGRAM_MESSAGES) {
    for (const line of family.lines) {
      const { text, decoration } = decorate(line, line);
      add({
        text,
        kind: family.kind,
        category: family.category,
        program: family.program,
        source: family.source,
        group: line,
        variant: decoration,
      });
    }
  }

  // The team's shared corpus, with its own sources.
  for (const raw of readFileSync(here('../fixtures/credential-errors.jsonl'), 'utf8').split('\n')) {
    if (raw.trim() === '') continue;
    const entry = JSON.parse(raw);
    add({
      text: entry.text,
      kind: entry.kind,
      category: entry.category,
      program: 'shared-corpus',
      source: entry.source,
      group: entry.text,
      variant: 'as-recorded',
    });
  }

  // Positives relayed from somebody else's output: a third of them, each in one relaying format.
  for (const entry of entries.filter((e) => e.should_trigger && e.program !== 'shared-corpus')) {
    if (unit(`${entry.group}:relay`) >= 1 / 3) continue;
    const { text, wrapper } = foreign(entry.group, entry.group);
    entries.push({
      text,
      kind: null,
      should_trigger: false,
      category: 'foreign-output',
      program: entry.program,
      source: `${entry.source}; relayed as in ${wrapper.source}`,
      variant: wrapper.name,
      group: `relayed:${entry.group}`,
      split: splitOf(`relayed:${entry.group}`),
    });
  }

  return entries;
}

/** The file's text for `entries`: one JSON object a line. */
export function toJsonl(entries) {
  return `${entries.map((entry) => JSON.stringify(entry)).join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const entries = buildCorpusEntries();
  const out = here('credential-errors.jsonl');
  writeFileSync(out, toJsonl(entries));
  const count = (f) => entries.filter(f).length;
  console.log(
    `${entries.length} lines (${count((e) => e.should_trigger)} credential errors, ${count((e) => !e.should_trigger)} look-alikes; ${count((e) => e.split === 'heldout')} held out) -> ${out}`,
  );
}
