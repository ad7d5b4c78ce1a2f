import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlError } from '../../src/control/errors.js';
import { ensureFallbackSocketDir } from '../../src/control/socket-dir.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-socket-dir-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

async function refusal(dir: string): Promise<ControlError> {
  const error = await ensureFallbackSocketDir(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ControlError);
  return error as ControlError;
}

describe('ensureFallbackSocketDir', () => {
  it('creates it with mode 700 whatever the umask, and accepts it again', async () => {
    const dir = path.join(root, 'cred-supervisor-1');
    const previous = process.umask(0);
    try {
      await ensureFallbackSocketDir(dir);
    } finally {
      process.umask(previous);
    }
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    await ensureFallbackSocketDir(dir);
  });

  it('refuses one open to others, leaving it as it is, with the chmod that fixes it', async () => {
    const dir = path.join(root, 'cred-supervisor-1');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    const error = await refusal(dir);
    expect(error.message).toContain(
      `${dir}, the folder for control sockets of state dirs whose path is too long`,
    );
    expect(error.message).toContain(
      `is open to others (mode 755); it was left as it is. Run: chmod 700 ${dir}`,
    );
    expect(fs.statSync(dir).mode & 0o777).toBe(0o755);
  });

  it('refuses a symlink planted at its name', async () => {
    const dir = path.join(root, 'cred-supervisor-1');
    fs.mkdirSync(path.join(root, 'elsewhere'), { mode: 0o700 });
    fs.symlinkSync(path.join(root, 'elsewhere'), dir);
    expect((await refusal(dir)).message).toMatch(
      /is not a directory \(a symlink or file owned by user id \d+/,
    );
  });

  it.runIf(process.getuid?.() === 0)('refuses one another user made, naming that user', async () => {
    const dir = path.join(root, 'cred-supervisor-0');
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.chownSync(dir, 65534, 65534);
    const error = await refusal(dir);
    expect(error.message).toMatch(
      /belongs to user id 65534( \(\w+\))?, not to you \(user id 0\): someone else created it/,
    );
    expect(error.message).toContain('use a shorter --state-dir path, or point TMPDIR at a folder of yours');
  });
});
