/**
 * What `npm pack` puts in the package, read from `npm pack --dry-run --json` of this checkout:
 * everything a user needs (the CLI, the API, its types, the tmux script, README, LICENSE), and
 * nothing else (no sources, tests, benchmarks, CI, state directories, logs, credentials).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, readDoc } from '../docs/markdown.js';
import { assertBuilt } from '../support/watch-session.js';

interface PackedFile {
  path: string;
  mode: number;
}

const manifest = JSON.parse(readDoc('package.json')) as {
  license: string;
  bin: Record<string, string>;
  main: string;
  types: string;
};

/** Where a shipped file may live: the build, the scripts, and the files npm always includes. */
const SHIPPED = [
  /^dist\//,
  /^scripts\//,
  /^docs\/[\w-]+\.md$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^package\.json$/,
];
/** Names that must never be in a package, wherever they are. */
const NEVER = [/(^|\/)credentials$/, /(^|\/)\.env(\.|$)/, /\.pem$/, /endpoint\.token$/, /\.log$/, /\.tgz$/];

let files: PackedFile[];
const normalize = (file: string) => path.posix.normalize(file).replace(/^\.\//, '');

beforeAll(() => {
  assertBuilt();
  // --ignore-scripts: no rebuild (`npm test` has built dist/); what is listed is what would ship.
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  files = (JSON.parse(output) as [{ files: PackedFile[] }])[0].files;
});

describe('the npm package', () => {
  it('holds the CLI, the API and its types, the tmux script, README and LICENSE', () => {
    const paths = files.map((file) => file.path);
    for (const needed of [
      'package.json',
      'README.md',
      'LICENSE',
      'scripts/dev-loop.sh',
      // README links to docs/ for usage and troubleshooting: they must resolve in the installed package.
      'docs/usage.md',
      'docs/how-it-works.md',
      ...Object.values(manifest.bin),
      manifest.main,
      manifest.types,
    ]) {
      expect(paths).toContain(normalize(needed));
    }
  });

  it('holds nothing else: no sources, tests, benchmarks, CI, state, logs or credentials', () => {
    const outside = files.map((file) => file.path).filter((file) => !SHIPPED.some((re) => re.test(file)));
    expect(outside).toEqual([]);
    const forbidden = files.map((file) => file.path).filter((file) => NEVER.some((re) => re.test(file)));
    expect(forbidden).toEqual([]);
  });

  it('ships runnable programs: the CLI starts with a node shebang, the tmux script is executable', () => {
    for (const bin of Object.values(manifest.bin)) {
      expect(readFileSync(path.join(REPO, bin), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    }
    const devLoop = files.find((file) => file.path === 'scripts/dev-loop.sh');
    expect((devLoop?.mode ?? 0) & 0o111, 'scripts/dev-loop.sh is executable').not.toBe(0);
  });

  it('carries the MIT license package.json names', () => {
    expect(manifest.license).toBe('MIT');
    expect(readDoc('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
  });
});
