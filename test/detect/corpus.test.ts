import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_ERROR_KINDS } from '../../src/detect/credential-error-kind.js';
import { detectCredentialError } from '../../src/detect/detect-credential-error.js';

interface CorpusEntry {
  text: string;
  kind: string | null;
  category: string;
  should_trigger: boolean;
  source: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bundledCorpus = `${repoRoot}test/fixtures/credential-errors.jsonl`;
// The live copy shared by the team; it may grow, and this repo's tests must follow it when present.
const liveCorpus = `${repoRoot}../shared/corpus/credential-errors.jsonl`;

function readCorpus(path: string): CorpusEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const entry = JSON.parse(line) as CorpusEntry;
      if (typeof entry.text !== 'string' || typeof entry.should_trigger !== 'boolean') {
        throw new Error(
          `Expected line ${index + 1} of ${path} to have \`text\` and \`should_trigger\`, got ${line}`,
        );
      }
      return entry;
    });
}

function checkCorpus(name: string, path: string) {
  describe(name, () => {
    const entries = readCorpus(path);
    const positives = entries.filter((entry) => entry.should_trigger);
    const lookAlikes = entries.filter((entry) => !entry.should_trigger);

    it('has both credential errors and look-alikes', () => {
      expect(positives.length).toBeGreaterThan(0);
      expect(lookAlikes.length).toBeGreaterThan(0);
      for (const entry of positives) expect(CREDENTIAL_ERROR_KINDS).toContain(entry.kind);
    });

    it.each(positives.map((entry) => [entry.kind, entry.text] as const))('detects %s: %s', (kind, text) => {
      expect(detectCredentialError(text)).toBe(kind);
    });

    it.each(lookAlikes.map((entry) => [entry.category, entry.text] as const))(
      'stays silent on %s: %s',
      (_category, text) => {
        expect(detectCredentialError(text)).toBeNull();
      },
    );
  });
}

checkCorpus('bundled corpus (test/fixtures/credential-errors.jsonl)', bundledCorpus);

// The live copy sits beside the checkout (as in CI); a checkout on its own has only the bundled one.
// (describe.runIf would still run the collecting callback, and with it the read of a missing file.)
if (existsSync(liveCorpus))
  checkCorpus('live shared corpus (../shared/corpus/credential-errors.jsonl)', liveCorpus);
