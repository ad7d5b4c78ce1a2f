// The real CDK CLI (`cdk watch`) and a real AWS CLI v1 (`aws sts get-caller-identity` in a shell
// loop) under one `watch --procfile`, against the fake AWS (which records the key that signed each
// call): one rotation moves both to the new key, and neither process is restarted.
import { spawnSync } from 'node:child_process';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cdkEnv, createProject } from '../endpoint-e2e/project.js';
import { type FakeSts, useFakeSts } from '../support/fake-sts.js';
import { groupAlive, processesUnder } from '../support/proc.js';
import { waitUntil } from '../support/wait-until.js';
import { startWatch } from '../support/watch-session.js';

const CDK = fileURLToPath(new URL('../../node_modules/.bin/cdk', import.meta.url));

/**
 * `python -m awscli` with the interpreter of the `aws` on PATH: the project's HOME is a temp dir, so
 * a pyenv shim (which looks for ~/.pyenv) would not find it. Undefined without an AWS CLI v1.
 */
function awsCli(): string | undefined {
  const found = spawnSync(
    'sh',
    ['-c', 'p=$(pyenv which aws 2>/dev/null || command -v aws) && head -1 "$p"'],
    {
      encoding: 'utf8',
    },
  );
  const python = /^#!\s*(\S*python\S*)/.exec(found.stdout)?.[1];
  return python ? `${python} -m awscli` : undefined;
}
const AWS = awsCli();

let sts: FakeSts;
useFakeSts((started) => {
  sts = started;
});

describe('watch --procfile with the real CDK CLI and a real AWS CLI', () => {
  it.skipIf(AWS === undefined)(
    'one rotation moves cdk watch and the aws loop to the new key, no restart',
    async () => {
      const key1 = sts.issueKey({ arn: 'arn:aws:sts::123456789012:assumed-role/dev/key-one' });
      const key2 = sts.issueKey({ arn: 'arn:aws:sts::123456789012:assumed-role/dev/key-two' });
      const project = await createProject({ decoy: sts.issueKey(), cdk: true, stsUrl: sts.url });
      await project.writeCredentials(key1);
      await writeFile(
        path.join(project.dir, 'Procfile.dev'),
        [
          `cdk: ${CDK} watch --app cdk.out --hotswap-fallback --no-notices`,
          `aws: while true; do ${AWS} sts get-caller-identity --query Arn --output text; sleep 0.3; done`,
          '',
        ].join('\n'),
      );
      const watch = startWatch(
        {
          ...project,
          env: {
            ...project.env,
            ...cdkEnv(project, sts.url),
            CRED_SUPERVISOR_LEASE_MS: '500',
            NO_COLOR: '1',
          },
        },
        { command: null, args: ['--procfile', 'Procfile.dev', '--check-schedule', '0 0 1 1 *'] },
      );
      const cfnBy = (keyId: string, since = 0) =>
        sts.requests.some((r) => r.service === 'cloudformation' && r.accessKeyId === keyId && r.at >= since);
      await watch.waitFor(() => cfnBy(key1.accessKeyId), 'cdk calling CloudFormation with key 1', 30_000);
      await watch.waitFor(
        (out) => /aws \| arn:\S+key-one\n/.test(out),
        'the aws loop signing with key 1',
        30_000,
      );
      const before = await watch.status();
      const pids = Object.fromEntries((before.children ?? []).map((c) => [c.name, c.pid]));

      const mark = watch.output.length;
      await project.writeCredentials(key2);
      await watch.waitFor(
        (out) => /aws \| arn:\S+key-two\n/.test(out.slice(mark)),
        'the aws loop signing with key 2',
        30_000,
      );
      // cdk's SDK asks the endpoint again at its next call after the lease; a change in src/ makes one.
      await watch.waitFor(
        () =>
          sts.requests.some((r) => r.accessKeyId === key2.accessKeyId && r.action === 'GetCallerIdentity'),
        'the supervisor verifying key 2',
      );
      // Its SDK fetches again only at a call a lease (500 ms) after its last one: a matter of time.
      const lastCdkCall = Math.max(
        ...sts.requests.filter((r) => r.service === 'cloudformation').map((r) => r.at),
      );
      await waitUntil(() => Date.now() > lastCdkCall + 700, 'the lease to run out', 2_000);
      const touchedAt = Date.now();
      const now = new Date();
      await utimes(path.join(project.dir, 'src', 'a.txt'), now, now);
      await watch.waitFor(
        () => cfnBy(key2.accessKeyId, touchedAt),
        'cdk calling CloudFormation with key 2',
        30_000,
      );

      const after = await watch.status();
      for (const child of after.children ?? []) {
        expect(child).toMatchObject({ state: 'running', restarts: 0, pid: pids[child.name] });
      }
      expect(await watch.interrupt()).toBe(130);
      for (const child of after.children ?? []) expect(groupAlive(child.pgid ?? 0)).toBe(false);
      expect(processesUnder(project.root)).toEqual([]);
    },
  );
});
