// The last resort: an error that escaped every handler ends the process with code 70 after stopping
// the child group and removing the socket, the state record and the lock, so nothing is left running
// and the next start finds a clean directory. A real process (test/reliability/fixtures/
// crash-with-child.ts) with the real lock, control server and a child in its own group.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EXIT_INTERNAL_ERROR } from '../../src/control/last-resort.js';
import { LOCK_DIR_NAME } from '../../src/control/lock.js';
import { controlSocketPath } from '../../src/control/socket-path.js';
import { STATE_RECORD_FILE } from '../../src/control/state-record.js';
import { waitUntil } from '../support/wait-until.js';
import { groupGone } from '../support/watch-session.js';

const fixture = fileURLToPath(new URL('./fixtures/crash-with-child.ts', import.meta.url));
const registerTs = fileURLToPath(new URL('../control/fixtures/register-ts.mjs', import.meta.url));

async function crash(how: 'exception' | 'rejection') {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cs-last-resort-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const stateDir = path.join(root, '.cred-supervisor');
  const proc = spawn(process.execPath, ['--import', registerTs, fixture, stateDir, how], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = await new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  const childPid = Number(/READY (\d+)/.exec(stdout)?.[1]);
  onTestFinished(() => {
    try {
      process.kill(-childPid, 'SIGKILL');
    } catch {}
  });
  return { exit, stderr, childPid, stateDir };
}

describe('the last resort', () => {
  it.each(['exception', 'rejection'] as const)(
    'an unhandled %s: logs it, stops the child group, removes socket, record and lock, exits 70',
    async (how) => {
      const { exit, stderr, childPid, stateDir } = await crash(how);
      expect(childPid).toBeGreaterThan(0);
      expect(exit).toBe(EXIT_INTERNAL_ERROR);
      expect(stderr).toContain('[cred-supervisor] internal error (');
      expect(stderr).toContain('stopping the command and exiting (code 70)');
      await waitUntil(() => groupGone(childPid), 'the child group to be gone', 5000);
      expect(existsSync(controlSocketPath(stateDir))).toBe(false);
      expect(existsSync(path.join(stateDir, STATE_RECORD_FILE))).toBe(false);
      expect(existsSync(path.join(stateDir, LOCK_DIR_NAME))).toBe(false);
    },
  );
});
