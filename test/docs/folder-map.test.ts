import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, readDoc } from './markdown.js';

/** Paths the folder map names: every `` `src/…` ``, `` `test/…` `` in its table's first column. */
function mappedPaths(): string[] {
  const contributing = readDoc('CONTRIBUTING.md');
  const map = contributing.slice(contributing.indexOf('## Folder map'));
  const rows = map.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''));
}

function folders(top: string): string[] {
  return readdirSync(path.join(REPO, top), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${top}/${entry.name}/`);
}

describe("CONTRIBUTING.md's folder map", () => {
  it('names only folders and files that exist', () => {
    const missing = mappedPaths().filter((p) => !p.includes('<') && !existsSync(path.join(REPO, p)));
    expect(missing).toEqual([]);
  });

  it('names every folder of src/ and test/', () => {
    const named = new Set(mappedPaths());
    // `test/<folder>/` stands for the test folders that mirror a src/ folder of the same name.
    const mirrored = (folder: string) =>
      folder.startsWith('test/') && named.has(`src/${folder.slice('test/'.length)}`);
    const unnamed = [...folders('src'), ...folders('test')].filter((f) => !named.has(f) && !mirrored(f));
    expect(unnamed).toEqual([]);
  });
});
