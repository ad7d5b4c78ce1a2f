import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  describeReason,
  formatNotification,
  formatPrompt,
  type PromptInput,
} from '../../src/prompt/prompt-text.js';

const NOW = Date.UTC(2026, 0, 15, 14, 23);
const FILE = '/home/alice/app/.cred-supervisor/credentials';
const COMMAND = ['cdk', 'watch', '--hotswap-fallback'];

function prompt(overrides: Partial<PromptInput> = {}): string {
  return formatPrompt({
    reason: { kind: 'expired', expiresAt: Date.UTC(2026, 0, 15, 14, 20) },
    command: COMMAND,
    credentialsFile: FILE,
    interactive: true,
    now: NOW,
    timeZone: 'UTC',
    ...overrides,
  });
}

// Commands are indented 7 spaces; wrapped prose under a label is indented 10.
const commandLines = (text: string) => text.split('\n').filter((l) => /^ {7}\S/.test(l));

describe('formatPrompt', () => {
  it('says what waits, for which account and region, and what happened', () => {
    const text = prompt({ expectAccount: '123456789012', region: 'eu-west-1' });
    expect(text).toContain('Waiting:  cdk watch --hotswap-fallback');
    expect(text).toContain('Account:  123456789012 (--expect-account) · region eu-west-1');
    expect(text).toContain('Reason:   the credentials expired at 14:20.');
  });

  it('falls back to the account of the last credentials when none is required', () => {
    expect(prompt({ account: '210987654321' })).toContain('Account:  210987654321');
    expect(prompt()).not.toContain('Account:');
  });

  it('shows the export-credentials one-liner to the exact file, with the profile when known', () => {
    const withProfile = prompt({ profile: { name: 'dev', kind: 'sso' } });
    expect(commandLines(withProfile)).toContain(
      `       (umask 077; aws configure export-credentials --profile dev --format env > ${FILE})`,
    );
    expect(withProfile).toContain(`chmod 600 ${FILE}`);
    expect(commandLines(prompt())).toContain(
      `       (umask 077; aws configure export-credentials --format env > ${FILE})`,
    );
  });

  it('SSO profile: aws sso login --profile X; unknown kind: a conditional hint; other: no sso login', () => {
    expect(prompt({ profile: { name: 'dev', kind: 'sso' } })).toMatch(
      /Log in again with SSO.*\n\s+aws sso login --profile dev\n/,
    );
    expect(prompt({ profile: { name: 'dev' } })).toMatch(
      /If profile dev uses SSO.*\n\s+aws sso login --profile dev\n/,
    );
    const other = prompt({ profile: { name: 'ops', kind: 'other' } });
    expect(other).not.toContain('aws sso login');
    expect(other).toContain('refresh profile ops the way it is set up');
    expect(prompt()).toContain('aws sso login --profile NAME');
  });

  it('assume-role and MFA commands write JSON to the file, with known ARNs filled in', () => {
    const generic = commandLines(prompt());
    expect(generic).toContain(
      `       (umask 077; aws sts assume-role --role-arn <role-arn> --role-session-name cred-supervisor --output json > ${FILE})`,
    );
    expect(generic).toContain(
      `       (umask 077; aws sts get-session-token --serial-number <mfa-device-arn> --token-code <code> --output json > ${FILE})`,
    );
    const known = prompt({
      profile: {
        name: 'admin',
        kind: 'other',
        roleArn: 'arn:aws:iam::123456789012:role/Admin',
        mfaSerial: 'arn:aws:iam::123456789012:mfa/alice',
      },
    });
    expect(known).toContain(
      'aws sts assume-role --role-arn arn:aws:iam::123456789012:role/Admin --role-session-name cred-supervisor --serial-number arn:aws:iam::123456789012:mfa/alice --token-code <code> --output json',
    );
    expect(known).toContain(
      '--serial-number arn:aws:iam::123456789012:mfa/alice --token-code <code> --output json',
    );
  });

  it('mentions the r key only when keys are read', () => {
    expect(prompt({ interactive: true })).toContain('press r, or run `cred-supervisor reload`');
    const script = prompt({ interactive: false });
    expect(script).not.toContain('press r');
    expect(script).toContain('`cred-supervisor reload`');
  });

  it('quotes a path with spaces and quotes so the commands still work when pasted', () => {
    const text = prompt({ credentialsFile: "/tmp/it's my app/credentials" });
    expect(text).toContain(`> '/tmp/it'\\''s my app/credentials')`);
  });

  it('keeps prose within 80 columns; only the copyable commands may be longer', () => {
    const long = prompt({
      reason: { kind: 'rejected', problem: 'malformed', detail: 'word '.repeat(60).trim() },
      profile: { name: 'dev' },
      expectAccount: '123456789012',
      region: 'eu-west-1',
    });
    for (const line of long.split('\n')) {
      if (!commandLines(line).length) expect([...line].length, line).toBeLessThanOrEqual(80);
    }
  });

  it('the file one-liner really writes a file only its owner can read, at a path with spaces', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cred-prompt-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const bin = path.join(dir, 'bin');
    await mkdir(bin);
    // A stand-in `aws` that prints what export-credentials prints.
    await writeFile(path.join(bin, 'aws'), '#!/bin/sh\necho "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE"\n');
    await chmod(path.join(bin, 'aws'), 0o755);
    const file = path.join(dir, "my app's", 'credentials');
    await mkdir(path.dirname(file));
    const line = commandLines(prompt({ credentialsFile: file, profile: { name: 'dev' } }))[0]!.trim();
    await promisify(execFile)('/bin/sh', ['-c', line], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(await readFile(file, 'utf8')).toBe('export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n');
    expect((await stat(file)).mode & 0o077).toBe(0);
  });
});

describe('describeReason', () => {
  it.each([
    [{ kind: 'missing', detail: 'No credentials found.' }, 'No credentials found.'],
    [
      { kind: 'rejected', problem: 'root', detail: 'Root credentials are refused.' },
      'Root credentials are refused.',
    ],
    [
      { kind: 'expiring', expiresAt: NOW + 9 * 60_000, detail: 'the SSO session expired.' },
      'the credentials expire at 14:32 (in 9m) and no fresher ones could be had: the SSO session expired.',
    ],
    [{ kind: 'expired', expiresAt: null }, 'the credentials expired.'],
    [
      { kind: 'revoked', detail: 'InvalidClientTokenId.' },
      'STS no longer accepts the credentials (revoked or invalid). InvalidClientTokenId.',
    ],
  ] as const)('%o', (reason, text) => {
    expect(describeReason(reason, NOW, 'UTC')).toBe(text);
  });
});

describe('formatNotification', () => {
  it('is one short line naming the command and what happened', () => {
    expect(
      formatNotification(
        { kind: 'credentials-needed', reason: { kind: 'expired', expiresAt: NOW } },
        COMMAND,
        'UTC',
      ),
    ).toBe('cred-supervisor: credentials needed (expired at 14:23); cdk watch is waiting');
    expect(
      formatNotification(
        { kind: 'credentials-needed', reason: { kind: 'rejected', problem: 'wrong-account', detail: 'x' } },
        ['npm', 'run', 'dev'],
      ),
    ).toBe('cred-supervisor: credentials needed (refused: wrong-account); npm run is waiting');
  });

  it('truncates a long fatal message', () => {
    const text = formatNotification({ kind: 'fatal', message: 'x'.repeat(500) }, COMMAND);
    expect(text.length).toBeLessThanOrEqual('cred-supervisor: '.length + 200);
    expect(text.endsWith('…')).toBe(true);
  });
});
