import { readFileSync } from 'node:fs';

/** Set by the bundler (tools/build.mjs) to package.json's version; absent when run from source. */
declare const CRED_SUPERVISOR_VERSION: string | undefined;

/**
 * The package version: inlined by the build, so `--version` reads no file; from source (the unit
 * tests) it is read from package.json.
 */
export function packageVersion(): string {
  if (typeof CRED_SUPERVISOR_VERSION === 'string') return CRED_SUPERVISOR_VERSION;
  const url = new URL('../../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
