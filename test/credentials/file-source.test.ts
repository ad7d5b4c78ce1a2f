import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { isTrackedByGit, readCredentialsFileSafely } from '../../src/credentials/file-safety.js';
import { readCredentialsFile } from '../../src/credentials/file-source.js';
import { problemOf } from './support/problem-of.js';
import { envText, sampleKeys, stsJson } from './support/sample-credentials.js';
import { tempDir } from './support/temp-dir.js';

async function writeSecret(file: string, text: string | Buffer, mode = 0o600): Promise<void> {
  await writeFile(file, text, { mode });
  await chmod(file, mode); // the umask may have taken bits away from `mode`
}

describe('readCredentialsFile', () => {
  it('reads a good env file, describing the source without secrets', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    const keys = sampleKeys({ expiration: new Date(Date.now() + 3_600_000) });
    await writeSecret(file, envText(keys, 'AWS_REGION=eu-west-1\n'));
    const resolved = await readCredentialsFile(file);
    expect(resolved).toEqual({
      credentials: keys,
      source: { kind: 'file', description: `file ${file} (env lines)`, path: file },
      region: 'eu-west-1',
    });
  });

  it('reads `aws sts assume-role` JSON', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    const keys = sampleKeys({ expiration: new Date(Date.now() + 3_600_000) });
    await writeSecret(file, stsJson(keys));
    await expect(readCredentialsFile(file)).resolves.toMatchObject({
      credentials: keys,
      source: { description: `file ${file} (aws sts JSON)` },
    });
  });

  it('a missing file is NOT_FOUND', async () => {
    const dir = await tempDir();
    const problem = await problemOf(readCredentialsFile(path.join(dir, 'nope')));
    expect(problem).toMatchObject({
      code: 'NOT_FOUND',
      message: `${path.join(dir, 'nope')} does not exist.`,
    });
    const deeper = await problemOf(readCredentialsFile(path.join(dir, 'no-dir', 'credentials')));
    expect(deeper.code).toBe('NOT_FOUND');
  });

  it('adds the path and a fix to parser problems, and uses the clock it is given', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    const keys = sampleKeys({ expiration: new Date('2030-01-01T00:00:00Z') });
    await writeSecret(file, envText(keys));
    const now = () => new Date('2030-01-01T00:30:00Z');
    const expired = await problemOf(readCredentialsFile(file, { now }));
    expect(expired.code).toBe('EXPIRED');
    expect(expired.message).toBe(
      `${file}: The credentials expired at 2030-01-01T00:00:00.000Z (30m ago). Write fresh credentials to it, e.g. (umask 077; aws configure export-credentials --format env > ${file})`,
    );
    await writeSecret(file, envText(keys, 'not an assignment\n'));
    const malformed = await problemOf(readCredentialsFile(file, { now: () => new Date('2029-01-01') }));
    expect(malformed).toMatchObject({
      code: 'MALFORMED',
      problem: `${file}: line 5 is not a NAME=VALUE assignment.`,
    });
    expect(malformed.fix).toMatch(/^Write it again, e\.g\. \(umask 077; aws configure export-credentials/);
  });

  it('a half-written or empty file is NOT_READY', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    await writeSecret(file, '');
    expect((await problemOf(readCredentialsFile(file))).code).toBe('NOT_READY');
    const keys = sampleKeys();
    await writeSecret(file, stsJson(keys).slice(0, 80));
    expect((await problemOf(readCredentialsFile(file))).code).toBe('NOT_READY');
  });
});

describe('file safety', () => {
  it('refuses a group/world-readable file with the chmod fix', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    await writeSecret(file, envText(sampleKeys()), 0o644);
    const problem = await problemOf(readCredentialsFile(file));
    expect(problem).toMatchObject({
      code: 'UNSAFE_PERMISSIONS',
      problem: `${file} is open to its group and everyone (mode 644); credentials must be readable by you only.`,
      fix: `Run: chmod 600 ${file}`,
    });
    await chmod(file, 0o640);
    expect((await problemOf(readCredentialsFile(file))).problem).toContain('open to its group (mode 640)');
    await chmod(file, 0o600);
    await expect(readCredentialsFile(file)).resolves.toMatchObject({ source: { kind: 'file' } });
  });

  it('skips the mode check on Windows, whose permissions are not mode bits', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    await writeSecret(file, envText(sampleKeys()), 0o644);
    await expect(readCredentialsFileSafely(file, { platform: 'win32' })).resolves.toMatchObject({
      path: file,
    });
  });

  it('refuses a file tracked by git (staged is enough) with the fix', async () => {
    const repo = await tempDir();
    await execa('git', ['init', '-q'], { cwd: repo });
    const dir = path.join(repo, '.cred-supervisor');
    await mkdir(dir);
    const file = path.join(dir, 'credentials');
    await writeSecret(file, envText(sampleKeys()));
    expect(await isTrackedByGit(file)).toBe(false);
    await expect(readCredentialsFile(file)).resolves.toBeDefined();

    await execa('git', ['add', '.cred-supervisor/credentials'], { cwd: repo });
    expect(await isTrackedByGit(file)).toBe(true);
    const problem = await problemOf(readCredentialsFile(file));
    expect(problem).toMatchObject({
      code: 'TRACKED_BY_GIT',
      problem: `${file} is tracked by git, so the credentials in it would be committed.`,
    });
    expect(problem.fix).toBe(
      `Run: git -C ${dir} rm --cached credentials and add credentials to .gitignore; if it was ever committed or pushed, treat those credentials as leaked.`,
    );
    // The fix works as printed.
    await execa('git', ['-C', dir, 'rm', '-q', '--cached', 'credentials']);
    await expect(readCredentialsFile(file)).resolves.toBeDefined();
  });

  it('outside a repository, git says nothing is tracked', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    await writeSecret(file, 'x');
    expect(await isTrackedByGit(file)).toBe(false);
  });

  it('follows a symlink, checks its target and says so', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'real-credentials');
    const link = path.join(dir, 'credentials');
    const keys = sampleKeys();
    await writeSecret(target, envText(keys));
    await symlink(target, link);
    const resolved = await readCredentialsFile(link);
    expect(resolved.credentials).toEqual(keys);
    expect(resolved.source).toEqual({
      kind: 'file',
      description: `file ${link} (symlink to ${target}) (env lines)`,
      path: link,
    });
    expect(resolved.notes).toEqual([`${link} is a symlink; read and checked its target ${target}.`]);

    await chmod(target, 0o644);
    const unsafe = await problemOf(readCredentialsFile(link));
    expect(unsafe).toMatchObject({ code: 'UNSAFE_PERMISSIONS', fix: `Run: chmod 600 ${target}` });
    expect(unsafe.problem).toMatch(
      new RegExp(`^${link} \\(a symlink; checked its target ${target}\\) is open to`),
    );
  });

  it('a dangling symlink is NOT_FOUND', async () => {
    const dir = await tempDir();
    const link = path.join(dir, 'credentials');
    await symlink(path.join(dir, 'gone'), link);
    expect(await problemOf(readCredentialsFile(link))).toMatchObject({
      code: 'NOT_FOUND',
      message: `${link} is a symlink to a file that does not exist.`,
    });
  });

  it('refuses a directory and a FIFO without blocking on it', async () => {
    const dir = await tempDir();
    const sub = path.join(dir, 'credentials');
    await mkdir(sub);
    expect(await problemOf(readCredentialsFile(sub))).toMatchObject({
      code: 'NOT_A_FILE',
      problem: `${sub} is a directory, not a regular file.`,
    });
    const fifo = path.join(dir, 'fifo');
    await execa('mkfifo', ['-m', '600', fifo]);
    expect(await problemOf(readCredentialsFile(fifo))).toMatchObject({
      code: 'NOT_A_FILE',
      problem: `${fifo} is a named pipe (FIFO), not a regular file.`,
    });
    const link = path.join(dir, 'link-to-fifo');
    await symlink(fifo, link);
    expect((await problemOf(readCredentialsFile(link))).code).toBe('NOT_A_FILE');
  });

  it('refuses 10 MB of garbage as TOO_LARGE', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    await writeSecret(file, Buffer.alloc(10 * 1024 * 1024, 'x'));
    expect(await problemOf(readCredentialsFile(file))).toMatchObject({
      code: 'TOO_LARGE',
      problem: `${file} is 10485760 bytes; a credentials file is well under 64 KiB.`,
    });
  });

  it('refuses binary content as MALFORMED', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'credentials');
    await writeSecret(file, Buffer.from([0x41, 0x57, 0x53, 0x00, 0xff, 0xfe, 0x10]));
    expect(await problemOf(readCredentialsFile(file))).toMatchObject({
      code: 'MALFORMED',
      problem: `${file} holds binary data, not credentials text.`,
    });
    await writeSecret(file, Buffer.from([0x41, 0xc3, 0x28, 0x0a])); // invalid UTF-8, no NUL
    expect((await problemOf(readCredentialsFile(file))).code).toBe('MALFORMED');
  });
});
