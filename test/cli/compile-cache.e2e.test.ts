// Node 22.1+'s compile cache holds code this process runs: it must live in the person's own cache
// folder, never in the tmp folder every user of the machine can write to. On Node 20 (no such cache)
// nothing is written anywhere.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { assertBuilt, runCli } from '../support/built-cli.js';

async function freshDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('the compile cache of a full command', () => {
  it('is kept under ~/.cache/cred-supervisor, not under the shared tmp folder', async () => {
    assertBuilt();
    const home = await freshDir('cred-supervisor-home-');
    const sharedTmp = await freshDir('cred-supervisor-tmp-');
    const run = await runCli(['check', '--help'], home, {
      PATH: process.env.PATH,
      HOME: home,
      TMPDIR: sharedTmp,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const own = path.join(home, '.cache', 'cred-supervisor', 'node-compile-cache');
    const cacheExists = 'enableCompileCache' in module;
    expect(existsSync(own)).toBe(cacheExists);
    expect(existsSync(path.join(sharedTmp, 'node-compile-cache'))).toBe(false);
  });
});
