// A reader that stops early (`cred-supervisor check --help | head -2`): the CLI's next write fails
// with EPIPE. It used to crash on the unhandled 'error' event (a stack trace, exit 1); it must finish
// quietly.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI } from '../support/built-cli.js';

beforeAll(() => assertBuilt());

/** Runs the CLI with a stdout pipe that is closed as soon as the first bytes arrive, as `head -1` does. */
function runWithReaderGone(
  args: string[],
): Promise<{ code: number | null; stderr: string; firstBytes: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: '/nonexistent' },
    });
    let stderr = '';
    let firstBytes = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.once('data', (chunk: Buffer) => {
      firstBytes = chunk.toString('utf8');
      child.stdout.destroy();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr, firstBytes }));
  });
}

describe('a reader that goes away early', () => {
  it.each(['check --help', '--help', 'watch --help'])('%s: exits 0 without a stack trace', async (line) => {
    const { code, stderr, firstBytes } = await runWithReaderGone(line.split(' '));
    expect(firstBytes).toMatch(/^Usage: cred-supervisor/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

/** Runs the CLI with a stdout pipe whose reader left before the CLI wrote anything. */
function runWithReaderAlreadyGone(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: '/nonexistent' },
    });
    // Node takes tens of ms to start; the pipe is closed long before the CLI's first write.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describe('a reader gone before the quick answers (written straight to file descriptor 1)', () => {
  it.each(['--version', 'status --segment-file --state-dir state'])(
    '%s: exits 0 without a stack trace',
    async (line) => {
      const { code, stderr } = await runWithReaderAlreadyGone(line.split(' '));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
  );
});
