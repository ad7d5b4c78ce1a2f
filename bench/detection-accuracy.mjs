#!/usr/bin/env node
/**
 * Detection accuracy on the credential-error corpus (test/corpus/credential-errors.jsonl): recall with
 * the right kind over the credential errors and false alarms over the look-alikes, for the tune and the
 * held-out split, per program. Not a timing measurement, so not part of bench/run.mjs.
 *
 *   npm run build && node bench/detection-accuracy.mjs            # the table
 *   node bench/detection-accuracy.mjs --misses heldout            # and the lines it gets wrong there
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluate, formatFigures, readCorpus } from '../test/corpus/evaluate.mjs';
import { assertBuilt, root } from './lib/dist.mjs';

const { values } = parseArgs({ options: { misses: { type: 'string' } } });
if (values.misses !== undefined && !['tune', 'heldout'].includes(values.misses)) {
  process.stderr.write(`Expected --misses tune or --misses heldout, got \`${values.misses}\`.\n`);
  process.exit(2);
}
assertBuilt();
const { detectCredentialError } = await import(
  pathToFileURL(path.join(root, 'dist/detect/detect-credential-error.js')).href
);
const result = evaluate(readCorpus(), detectCredentialError);
process.stdout.write(`${formatFigures(result)}\n`);
if (values.misses) {
  for (const { entry, got } of result.misses.filter((miss) => miss.entry.split === values.misses)) {
    process.stdout.write(
      `expected ${entry.kind}, got ${got} [${entry.program}] ${JSON.stringify(entry.text)}\n`,
    );
  }
}
