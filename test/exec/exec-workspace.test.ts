import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createExecWorkspace, staleWorkspaceNames } from '../../src/exec/exec-workspace.js';

async function tempStateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cred-supervisor-exec-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, '.cred-supervisor');
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '0']);
  return result.pid;
}

describe('staleWorkspaceNames', () => {
  it('picks exec-<pid> directories whose process is gone, nothing else', () => {
    const alive = new Set([100]);
    const names = [
      'exec-100',
      'exec-200',
      'exec-x',
      'credentials',
      'supervisor.log',
      'exec-0',
      `exec-${process.pid}`,
    ];
    expect(staleWorkspaceNames(names, (pid) => alive.has(pid))).toEqual(['exec-200']);
  });
});

describe('createExecWorkspace', () => {
  it('makes a private directory for this run and removes it', async () => {
    const stateDir = await tempStateDir();
    const workspace = await createExecWorkspace(stateDir);
    expect(workspace.dir).toBe(path.join(stateDir, `exec-${process.pid}`));
    expect((await stat(workspace.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    await workspace.remove();
    expect(existsSync(workspace.dir)).toBe(false);
    await expect(workspace.remove()).resolves.toBeUndefined();
  });

  it('removes directories left by runs that died, keeps those of live ones', async () => {
    const stateDir = await tempStateDir();
    const dead = path.join(stateDir, `exec-${deadPid()}`);
    const live = path.join(stateDir, `exec-${process.ppid}`);
    await mkdir(dead, { recursive: true });
    await mkdir(live, { recursive: true });
    const workspace = await createExecWorkspace(stateDir);
    onTestFinished(() => workspace.remove());
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
