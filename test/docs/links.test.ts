import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf, linkTargets, REPO, readDoc } from './markdown.js';

const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  'docs/usage.md',
  'docs/how-it-works.md',
  'docs/security.md',
  'docs/reliability.md',
  'bench/README.md',
];

/** Every relative link of `doc` that does not resolve to a file (and, for `#x`, a heading). */
function brokenLinks(doc: string): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(readDoc(doc))) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [file = '', anchor] = target.split('#');
    const resolved = file === '' ? doc : path.join(path.dirname(doc), file);
    if (!existsSync(path.join(REPO, resolved))) {
      broken.push(`${target} (no ${resolved})`);
      continue;
    }
    if (anchor === undefined || !resolved.endsWith('.md')) continue;
    if (!anchorsOf(readDoc(resolved)).has(anchor))
      broken.push(`${target} (no heading #${anchor} in ${resolved})`);
  }
  return broken;
}

describe('the documentation', () => {
  it.each(DOCS)('%s: every relative link resolves, anchors included', (doc) => {
    expect(brokenLinks(doc)).toEqual([]);
  });

  it('README links every document of docs/, the benchmarks, CONTRIBUTING and LICENSE', () => {
    const targets = new Set(linkTargets(readDoc('README.md')).map((target) => target.split('#')[0]));
    for (const doc of [...DOCS.filter((d) => d !== 'README.md'), 'LICENSE']) expect(targets).toContain(doc);
  });

  it('README stays short: detail goes to docs/', () => {
    const bytes = statSync(path.join(REPO, 'README.md')).size;
    expect(bytes, `README.md is ${bytes} bytes; keep it near 10 KB by moving detail to docs/`).toBeLessThan(
      12_000,
    );
  });
});
