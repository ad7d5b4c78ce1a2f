import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlError } from '../../src/control/errors.js';
import { ensureStateDir } from '../../src/control/state-dir.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-statedir-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const modeOf = (dir: string) => fs.statSync(dir).mode & 0o777;

describe('ensureStateDir', () => {
  it('creates the directory, and missing parents, with mode 700 whatever the umask', async () => {
    const dir = path.join(root, 'a', 'b', '.cred-supervisor');
    const previous = process.umask(0o000);
    try {
      expect(await ensureStateDir(dir)).toEqual({ created: true });
    } finally {
      process.umask(previous);
    }
    expect(modeOf(dir)).toBe(0o700);
  });

  it('never chmods an existing directory: one others can only list is used as it is', async () => {
    const dir = path.join(root, 'state');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    expect(await ensureStateDir(dir)).toEqual({ created: false });
    expect(modeOf(dir)).toBe(0o755);
  });

  it('refuses a directory others can write to, sticky bit and all, and leaves it as it is', async () => {
    const dir = path.join(root, 'scratch');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o1777);
    const error = await ensureStateDir(dir).catch((e: unknown) => e);
    expect((error as ControlError).code).toBe('STATE_DIR_INVALID');
    expect((error as Error).message).toBe(
      `The state directory ${dir} can be written by its group and everyone (mode 1777), who could ` +
        'replace the credentials and the lock in it. It was left as it is. Choose a folder of your own ' +
        'with --state-dir (a missing one is created with mode 700), or, if only you use this folder, ' +
        `run: chmod go-w ${dir}`,
    );
    expect(fs.statSync(dir).mode & 0o7777).toBe(0o1777);
  });

  it('refuses a file in the way, saying what it is and what to do', async () => {
    const file = path.join(root, 'state');
    fs.writeFileSync(file, 'not a dir');
    const error = await ensureStateDir(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlError);
    expect((error as ControlError).code).toBe('STATE_DIR_INVALID');
    expect((error as Error).message).toBe(
      `Expected the state directory ${file} to be a directory, got a regular file. ` +
        'Move it away or choose another path with --state-dir.',
    );
  });

  it('refuses a path under a file', async () => {
    const file = path.join(root, 'file');
    fs.writeFileSync(file, '');
    await expect(ensureStateDir(path.join(file, 'state'))).rejects.toThrow(
      /Cannot create the state directory/,
    );
  });
});
