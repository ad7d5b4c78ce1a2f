// Who can reach the credential endpoint of a real running supervisor: the unit tests in
// test/delivery cover the answers (no token, wrong token, foreign Host, the `host` option refused);
// here, the sockets the built CLI really listens on, read from /proc.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/built-cli.js';
import { type FakeSts, type FakeStsKey, useFakeSts } from '../support/fake-sts.js';
import { startWatch } from '../support/watch-session.js';
import { createProject, masked } from './project.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/sdk-child.mjs', import.meta.url));

let sts: FakeSts;
useFakeSts((started) => {
  sts = started;
});

interface ListeningSocket {
  family: 'tcp' | 'tcp6';
  /** As /proc/net prints it: hex address (IPv4 in host byte order), hex port. */
  localAddress: string;
  port: number;
}

/** The TCP sockets in LISTEN state that `pid` holds open. */
function listeningSocketsOf(pid: number): ListeningSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // Closed while we looked.
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const family of ['tcp', 'tcp6'] as const) {
    const rows = readFileSync(`/proc/${pid}/net/${family}`, 'utf8').trim().split('\n').slice(1);
    for (const row of rows) {
      const fields = row.trim().split(/\s+/);
      const [address, port] = (fields[1] ?? '').split(':');
      if (fields[3] !== '0A' || !inodes.has(fields[9] ?? '')) continue;
      sockets.push({ family, localAddress: address ?? '', port: Number.parseInt(port ?? '', 16) });
    }
  }
  return sockets;
}

async function supervise(key: FakeStsKey, delivery: 'endpoint' | 'env') {
  const project = await createProject({ decoy: sts.issueKey(), stsUrl: sts.url });
  await project.writeCredentials(key);
  const watch = startWatch(
    {
      ...project,
      env: {
        ...project.env,
        AWS_REGION: 'us-east-1',
      },
    },
    {
      command: null,
      args: ['--delivery', delivery, '--', process.execPath, FIXTURE],
    },
  );
  await watch.waitFor(
    (o) => o.includes(`CALL ok account=${key.account} key=${masked(key.accessKeyId)}`),
    'the child calling STS',
  );
  return { project, watch };
}

describe('the credential endpoint of the built CLI', () => {
  it('listens on 127.0.0.1 only: one TCP socket, no wildcard or IPv6 address', async () => {
    const key = sts.issueKey();
    const { watch } = await supervise(key, 'endpoint');
    const sockets = listeningSocketsOf(watch.process.pid as number);
    // 0100007F is 127.0.0.1 in /proc/net/tcp's byte order on little-endian machines.
    expect(sockets).toEqual([{ family: 'tcp', localAddress: '0100007F', port: expect.any(Number) }]);
    expect(await watch.interrupt()).toBe(130);
  });

  it('does not exist with --delivery env: the supervisor listens on no TCP port at all', async () => {
    const key = sts.issueKey();
    const { watch } = await supervise(key, 'env');
    expect(listeningSocketsOf(watch.process.pid as number)).toEqual([]);
    expect(await watch.interrupt()).toBe(130);
  });
});

describe('CRED_SUPERVISOR_LEASE_MS (tests and benchmarks only)', () => {
  it('refuses anything but a positive whole number of milliseconds, before starting anything', async () => {
    for (const value of ['abc', '0', '-5', '1.5', '10s']) {
      const run = await execa(process.execPath, [CLI, 'watch', '--', process.execPath, FIXTURE], {
        env: { PATH: process.env.PATH, HOME: '/nonexistent', CRED_SUPERVISOR_LEASE_MS: value },
        extendEnv: false,
        reject: false,
        cwd: '/',
        timeout: 10_000,
      });
      expect(run.exitCode, value).toBe(2);
      expect(run.stderr).toContain(
        `Expected \`CRED_SUPERVISOR_LEASE_MS\` to be a positive whole number of milliseconds, got \`${value}\`.`,
      );
    }
  });
});
