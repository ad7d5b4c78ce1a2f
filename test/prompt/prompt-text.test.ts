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
  screenRows,
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

// Commands are indented 2 spaces under their heading; wrapped prose under a label is indented 10.
const commandLines = (text: string) => text.split('\n').filter((l) => /^ {2}\S/.test(l));
const LONG_FILE =
  '/home/alice-in-wonderland/projects/payments-platform-infrastructure/.cred-supervisor/credentials';

describe('formatPrompt', () => {
  it('says what waits, for which account and region (with where it came from), and what happened', () => {
    const text = prompt({ expectAccount: '123456789012', region: 'eu-west-1', regionFrom: 'AWS_REGION' });
    expect(text.split('\n')[0]).toMatch(/^── cred-supervisor: credentials needed ─+$/);
    expect(text).toContain('Waiting:  cdk watch --hotswap-fallback, until fresh credentials are verified');
    expect(text).toContain('Account:  123456789012 (--expect-account) · region eu-west-1 (AWS_REGION)');
    expect(text).toContain('Reason:   the credentials expired at 14:20.');
  });

  it('always has an account and region line, saying when they are not known yet', () => {
    expect(prompt({ account: '210987654321', region: 'us-west-2' })).toContain(
      'Account:  210987654321 · region us-west-2',
    );
    expect(prompt()).toContain('Account:  any (none verified yet) · region not configured');
  });

  it('the credentials file: the write commands for AWS CLI v2 and v1 and a role, umask 077, the exact path', () => {
    const lines = commandLines(prompt());
    expect(lines).toEqual([
      `  AWS CLI v2: (umask 077; aws configure export-credentials --format env > ${FILE})`,
      `  AWS CLI v1: (umask 077; aws sts get-session-token --output json > ${FILE})`,
      `  a role:     (umask 077; aws sts assume-role --role-arn ROLE_ARN --role-session-name dev --output json > ${FILE})`,
    ]);
    expect(prompt()).not.toContain('cred-supervisor login');
  });

  it('an SSO profile: cred-supervisor login for it, and nothing about the file', () => {
    const text = prompt({ profile: { name: 'dev', kind: 'sso' } });
    expect(commandLines(text)).toEqual(['  npx cred-supervisor login --profile dev']);
    expect(text).not.toContain('export-credentials');
  });

  it('another profile: its own refresh (the MFA code asked here), no sso login; unknown kind: both hints', () => {
    const other = prompt({
      profile: {
        name: 'admin',
        kind: 'other',
        roleArn: 'arn:aws:iam::123456789012:role/Admin',
        mfaSerial: 'arn:aws:iam::123456789012:mfa/alice',
      },
    });
    expect(other).toContain('Refresh profile admin the way it is set up:');
    expect(other).toContain('it assumes arn:aws:iam::123456789012:role/Admin, asking for an MFA code here.');
    expect(other).not.toContain('cred-supervisor login');
    expect(prompt({ profile: { name: 'dev' } })).toContain(
      'if it uses SSO, log in again:\n  npx cred-supervisor login --profile dev',
    );
  });

  it('a file problem that carries its fix shows that fix, not the ways to write credentials', () => {
    const text = prompt({
      reason: {
        kind: 'rejected',
        problem: 'unsafe',
        detail: `${FILE} is tracked by git, so the credentials in it would be committed. Run: git -C /home/alice/app/.cred-supervisor rm --cached credentials and add credentials to .gitignore.`,
      },
    });
    expect(text).toContain('rm --cached');
    expect(text).not.toContain('export-credentials');
    expect(text).not.toContain('Fix:');
  });

  it('states the reason once and cuts a long one to three lines, pointing to the full text', () => {
    const text = prompt({ reason: { kind: 'missing', detail: `${'word '.repeat(80).trim()}.` } });
    const reasonStart = text.split('\n').findIndex((l) => l.startsWith('Reason:'));
    expect(
      text
        .split('\n')
        .slice(reasonStart, reasonStart + 4)
        .at(-1),
    ).toBe('          (all of it: `npx cred-supervisor status --json`, and the log)');
    expect(text.match(/Reason:/g)).toHaveLength(1);
  });

  it('fits one screen: at most 20 rows at 80 columns, long path, long reason, every source', () => {
    const cases: Partial<PromptInput>[] = [
      {},
      { profile: { name: 'dev', kind: 'sso' } },
      { profile: { name: 'dev' } },
      {
        profile: {
          name: 'ops',
          kind: 'other',
          roleArn: 'arn:aws:iam::123456789012:role/Deploy',
          mfaSerial: 'arn:aws:iam::123456789012:mfa/ops',
        },
      },
      {
        reason: {
          kind: 'rejected',
          problem: 'unsafe',
          detail: `${LONG_FILE} is open to everyone (mode 644). Run: chmod 600 ${LONG_FILE}`,
        },
      },
    ];
    for (const extra of cases) {
      const text = prompt({
        credentialsFile: LONG_FILE,
        command: ['cdk', 'watch', '--hotswap-fallback', '--context', 'stage=dev-alice'],
        reason: { kind: 'missing', detail: 'x '.repeat(200).trim() },
        expectAccount: '123456789012',
        region: 'eu-west-1',
        regionFrom: 'profile dev',
        ...extra,
      });
      expect(screenRows(text), text).toBeLessThanOrEqual(20);
    }
  });

  it('mentions the r key only when keys are read', () => {
    expect(prompt({ interactive: true })).toContain('Then press r, or run `npx cred-supervisor reload`.');
    const script = prompt({ interactive: false });
    expect(script).not.toContain('press r');
    expect(script).toContain('`npx cred-supervisor reload`');
  });

  it('quotes a path with spaces and quotes so the commands still work when pasted', () => {
    const text = prompt({ credentialsFile: "/tmp/it's my app/credentials" });
    expect(text).toContain(`> '/tmp/it'\\''s my app/credentials')`);
  });

  it('keeps prose within 80 columns; only the copyable commands may be longer', () => {
    const long = prompt({
      reason: { kind: 'rejected', problem: 'missing', detail: 'word '.repeat(60).trim() },
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
    const line = commandLines(prompt({ credentialsFile: file }))[0]!.replace(/^\s*AWS CLI v2: /, '');
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
      'the credentials expire in 9m (at 14:32) and no fresher ones could be had: the SSO session expired.',
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
