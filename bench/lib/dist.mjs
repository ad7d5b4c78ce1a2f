/** Where the built package is, and the loopback STS stand-in it ships (`dist/demo/local-sts.js`). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = path.join(root, 'dist/cli/main.cjs');
export const fixturesDir = path.join(root, 'bench/fixtures');
export const sdkChildPath = path.join(root, 'test/fixtures/sdk-child.mjs');
export const resultsDir = path.join(root, 'bench/results');

const localStsPath = path.join(root, 'dist/demo/local-sts.js');

export function assertBuilt() {
  if (!existsSync(cliPath) || !existsSync(localStsPath)) {
    throw new Error('Expected a build in dist/, got none: run `npm run build` first (or `npm run bench`).');
  }
}

/** Starts the loopback STS stand-in on a random port. */
export async function startLocalSts() {
  assertBuilt();
  const { LocalSts } = await import(localStsPath);
  return LocalSts.start();
}

export function fixture(name) {
  return path.join(fixturesDir, name);
}
