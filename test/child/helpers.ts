import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessGone, isProcessGroupGone } from '../../src/process/liveness.js';
import { waitUntil } from '../support/wait-until.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const FAKE_CDK = path.join(FIXTURES, 'fake-cdk.mjs');

/** The least environment a `#!/usr/bin/env node` fixture needs, plus the given variables. */
export function fixtureEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
}

/** A sink that keeps every byte written, and can be asked for them as one Buffer or text. */
export function collectingSink() {
  const chunks: Buffer[] = [];
  const sink = {
    write(chunk: Uint8Array): boolean {
      chunks.push(Buffer.from(chunk));
      return true;
    },
    once(_event: 'drain', _listener: () => void) {
      return sink;
    },
  };
  return {
    sink,
    chunks,
    bytes: () => Buffer.concat(chunks),
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/** Everything a test started; killed with SIGKILL afterwards whatever happened. */
export function processJanitor() {
  const groups = new Set<number>();
  const pids = new Set<number>();
  return {
    group(pgid: number) {
      groups.add(pgid);
    },
    pid(pid: number) {
      pids.add(pid);
    },
    async cleanUp() {
      for (const pgid of groups) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {}
      }
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      await waitUntil(
        () => [...groups].every((g) => isProcessGroupGone(g)) && [...pids].every((p) => isProcessGone(p)),
        'test processes to be gone',
        5000,
      ).catch(() => {});
      groups.clear();
      pids.clear();
    },
  };
}

export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The pgid `ps` reports for a pid, independent of our own /proc parsing. */
export function psProcessGroup(pid: number): number | undefined {
  const result = spawnSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' });
  const pgid = Number(result.stdout.trim());
  return result.status === 0 && Number.isInteger(pgid) ? pgid : undefined;
}
