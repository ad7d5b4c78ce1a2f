/**
 * The layout rules CONTRIBUTING.md states, checked so they stay true: the orchestrator stays an
 * orchestrator, no module imports itself round a loop, and no type is silenced with `as never`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, relativeImports } from './import-graph.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SUPERVISOR = 'src/supervisor/supervisor.ts';

describe('src/supervisor/supervisor.ts is the orchestrator only', () => {
  it('stays small: at most 270 lines', () => {
    const lines = readFileSync(path.join(REPO, SUPERVISOR), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(270);
  });

  it('imports from at most 5 folders of src/ besides its own (rules and text live elsewhere)', () => {
    const folders = new Set(
      relativeImports(REPO, SUPERVISOR)
        .map((file) => path.relative('src', path.dirname(file)))
        .filter((folder) => folder !== 'supervisor'),
    );
    expect(folders.size, [...folders].join(', ')).toBeLessThanOrEqual(5);
  });
});

describe('imports in src/', () => {
  it('form no cycle (a command file and its body included: X.ts ↔ run-X.ts)', () => {
    expect(importCycles(importGraph(REPO))).toEqual([]);
  });

  it('the cycle finder sees a cycle, long or short', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
  });
});

describe('types in src/', () => {
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(path.join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [path.join(dir, entry.name)]
          : [],
    );
  }

  it('are never silenced with `as never`', () => {
    const offenders = sourceFiles(path.join(REPO, 'src')).filter((file) =>
      /\bas never\b/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => path.relative(REPO, file))).toEqual([]);
  });
});
