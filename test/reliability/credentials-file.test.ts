// Everything that can be wrong with the credentials file, met by a supervisor that is waiting for it:
// each bad file gets a clear message naming the problem (never a secret), the supervisor keeps waiting
// without starting the command, and a good file finally starts it. One supervisor session walks the
// whole table, so the file watcher also sees every way the file can change (rewrite, atomic rename,
// delete and re-create, symlink). How the parser and the safety checks judge each file on its own is
// unit tested in test/credentials/ (parse-credentials-file*.test.ts, file-source.test.ts).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, FakeSts, type FakeStsKey } from '../support/fake-sts.js';
import { envLines, type Sandbox } from '../support/sandbox.js';
import { reliabilitySandbox, startWatch } from '../support/watch-session.js';

let sts: FakeSts;
beforeEach(async () => {
  sts = await FakeSts.start();
});
afterEach(async () => {
  await sts.close();
});

interface BadFile {
  name: string;
  /** Puts the bad file in place (the way a person or a tool would). */
  apply: () => Promise<void>;
  /** What the supervisor must say about it. */
  said: RegExp;
  /** Secrets the file held: none may be printed. */
  secrets?: string[];
}

const envText = (key: FakeStsKey, extra: string[] = []) => `${[...envLines(key), ...extra].join('\n')}\n`;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}

function badFiles(sandbox: Sandbox): { cases: BadFile[]; good: FakeStsKey } {
  const file = sandbox.credentialsFile;
  const write =
    (text: string | Buffer, mode = 0o600) =>
    async () => {
      await writeFile(file, text, { mode });
      await chmod(file, mode);
    };
  const good = sts.issueKey();
  const otherAccount = sts.issueKey({ account: '210987654321' });
  const root = sts.issueKey({ prefix: 'AKIA', arn: `arn:aws:iam::${DEFAULT_ACCOUNT}:root` });
  const elsewhere = path.join(sandbox.dir, 'elsewhere', 'shared-credentials');
  const cases: BadFile[] = [
    { name: 'empty', apply: write(''), said: /credentials\b.*is empty/ },
    {
      name: '10 MB of garbage',
      apply: write(randomBytes(5 * 1024 * 1024).toString('hex')),
      said: /is 10485760 bytes; a credentials file is well under/,
    },
    {
      name: 'binary',
      apply: write(Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe]), randomBytes(2048)])),
      said: /binary/i,
    },
    {
      name: 'JSON with wrong types',
      apply: write(
        JSON.stringify({
          Version: 1,
          AccessKeyId: 12345,
          SecretAccessKey: good.secretAccessKey,
          SessionToken: ['x'],
        }),
      ),
      said: /AccessKeyId.*(string|number)/,
      secrets: [good.secretAccessKey],
    },
    {
      name: 'JSON with missing fields',
      apply: write(JSON.stringify({ Version: 1, AccessKeyId: good.accessKeyId })),
      said: /SecretAccessKey/,
    },
    {
      name: 'expiration in the past',
      apply: write(
        envText(good).replace(
          /AWS_CREDENTIAL_EXPIRATION=.*/,
          `AWS_CREDENTIAL_EXPIRATION=${new Date(Date.now() - 3_600_000).toISOString()}`,
        ),
      ),
      said: /expired/i,
      secrets: [good.secretAccessKey, good.sessionToken!],
    },
    {
      name: "another account's keys (--expect-account)",
      apply: write(envText(otherAccount)),
      said: /210987654321/,
      secrets: [otherAccount.secretAccessKey, otherAccount.sessionToken!],
    },
    {
      name: 'root keys',
      apply: write(envText(root)),
      said: /root/i,
      secrets: [root.secretAccessKey],
    },
    {
      name: 'a symlink to a world-readable file elsewhere',
      apply: async () => {
        await mkdir(path.dirname(elsewhere), { recursive: true });
        await writeFile(elsewhere, envText(good), { mode: 0o644 });
        await chmod(elsewhere, 0o644);
        await rm(file, { force: true });
        await symlink(elsewhere, file);
      },
      said: /shared-credentials.*(readable|chmod)|(readable|chmod).*shared-credentials/,
      secrets: [good.secretAccessKey, good.sessionToken!],
    },
    {
      name: 'replaced by an atomic rename (JSON of another shape)',
      apply: async () => {
        await rm(file, { force: true });
        await writeFile(`${file}.new`, JSON.stringify({ hello: 'world' }), { mode: 0o600 });
        await rename(`${file}.new`, file);
      },
      said: /not a credentials document/,
    },
    {
      name: 'deleted, then re-created with a mangled key id',
      apply: async () => {
        await rm(file);
        await writeFile(file, envText(good).replace(good.accessKeyId, 'not-a-key-id'), { mode: 0o600 });
      },
      said: /AWS_ACCESS_KEY_ID/,
      secrets: [good.secretAccessKey, good.sessionToken!],
    },
    {
      name: 'permissions 644',
      apply: write(envText(good), 0o644),
      said: /chmod 600/,
      secrets: [good.secretAccessKey, good.sessionToken!],
    },
    {
      name: 'tracked by git',
      apply: async () => {
        await writeFile(file, '# placeholder\n', { mode: 0o600 });
        await chmod(file, 0o600);
        git(sandbox.dir, 'add', '-f', file);
        await writeFile(file, envText(good), { mode: 0o600 });
      },
      said: /is tracked by git.*rm --cached credentials/,
      secrets: [good.secretAccessKey, good.sessionToken!],
    },
    {
      name: 'half-written (the writer is not done)',
      apply: async () => {
        git(sandbox.dir, 'rm', '-q', '-f', '--cached', file);
        const [keyLine, secretLine] = envLines(good);
        await writeFile(file, `${keyLine}\n${secretLine}\n`, { mode: 0o600 });
      },
      said: /AWS_SESSION_TOKEN/,
      secrets: [good.secretAccessKey],
    },
  ];
  return { cases, good };
}

describe('a bad credentials file while the supervisor waits (built CLI)', () => {
  it('says what is wrong with each, keeps waiting without starting the command, then runs on a good one', async () => {
    const sandbox = await reliabilitySandbox(sts.url);
    git(sandbox.dir, 'init', '-q');
    const watch = startWatch(sandbox, {
      args: ['--expect-account', DEFAULT_ACCOUNT],
      env: { FAKE_CDK_READY_MARKER: 'CHILD-READY' },
    });
    // No file at all: the prompt, with the one-liner that writes it.
    await watch.waitFor(/credentials needed ──[\s\S]*aws configure export-credentials --format env/);
    await watch.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting');

    const { cases, good } = badFiles(sandbox);
    for (const bad of cases) {
      const since = watch.mark();
      await bad.apply();
      await watch.waitFor(bad.said, { since });
      const said = watch.outputSince(since);
      for (const secret of bad.secrets ?? []) expect(said, bad.name).not.toContain(secret);
      const status = await watch.status();
      expect(status.state, bad.name).toBe('waiting-for-credentials');
      expect(status.child?.pid ?? null, bad.name).toBeNull();
      expect(said, bad.name).not.toContain('CHILD-READY');
    }

    // The writer finishes the half-written file: it is read again, verified, and the command starts.
    await appendFile(
      sandbox.credentialsFile,
      `${envLines(good)
        .slice(2)
        .map((line) => `${line}\n`)
        .join('')}`,
    );
    await watch.waitFor('CHILD-READY');
    expect(await watch.status()).toMatchObject({ state: 'running', child: { restarts: 0 } });
    // One prompt at the start; afterwards only what changed was said.
    expect(watch.output.match(/credentials needed ──/g)).toHaveLength(1);

    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
  });
});
