/**
 * The region rule through the built CLI, for check, exec and watch: from `[default]`, from
 * AWS_PROFILE's profile, from cdk.json's profile, and the us-east-1 fallback with its warning. The child
 * is python3 with botocore (what the AWS CLI v1 and SAM CLI run on), which reads AWS_DEFAULT_REGION and
 * not AWS_REGION: it prints both variables and the region botocore itself resolves.
 */

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import { envLines, type Sandbox, useSandbox } from '../support/sandbox.js';

let sts: FakeSts;
let sandbox: Sandbox;

const HAS_BOTOCORE = (() => {
  try {
    return execaSync('python3', ['-c', 'import botocore.session'], { reject: false }).exitCode === 0;
  } catch {
    return false;
  }
})();

if (!HAS_BOTOCORE)
  console.warn('python3 with botocore not found: the exec/watch region child tests are skipped.');

const CHILD = [
  'python3',
  '-c',
  "import os, botocore.session; print('CHILD-REGION', os.environ.get('AWS_REGION'), os.environ.get('AWS_DEFAULT_REGION'), botocore.session.get_session().get_config_variable('region'))",
];

useSandbox(async (context) => {
  ({ sts, sandbox } = context);
  await sandbox.writeCredentials(envLines(sts.issueKey()));
});

interface Setup {
  name: string;
  config: string;
  env?: NodeJS.ProcessEnv;
  cdkJson?: object;
  region: string;
}

// Each profile named also has static keys, so the profile itself works wherever it is the source.
const SETUPS: Setup[] = [
  { name: '[default] in the config file', config: '[default]\nregion = eu-west-1\n', region: 'eu-west-1' },
  {
    name: "AWS_PROFILE's profile",
    config: '[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-southeast-2\n',
    env: { AWS_PROFILE: 'dev' },
    region: 'ap-southeast-2',
  },
  {
    name: "cdk.json's profile",
    config: '[default]\nregion = eu-west-1\n[profile cdkdev]\nregion = eu-north-1\n',
    cdkJson: { app: 'npx ts-node bin/app.ts', profile: 'cdkdev' },
    region: 'eu-north-1',
  },
];

async function prepare(setup: Setup): Promise<NodeJS.ProcessEnv> {
  await writeFile(sandbox.env.AWS_CONFIG_FILE as string, setup.config, { mode: 0o600 });
  const profiles = ['default', 'dev', 'cdkdev'].map((name) => {
    const key = sts.issueKey({ prefix: 'AKIA' });
    return `[${name}]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`;
  });
  await writeFile(sandbox.env.AWS_SHARED_CREDENTIALS_FILE as string, profiles.join(''), { mode: 0o600 });
  if (setup.cdkJson) await writeFile(path.join(sandbox.dir, 'cdk.json'), JSON.stringify(setup.cdkJson));
  return setup.env ?? {};
}

function childLine(output: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith('CHILD-REGION '));
  if (!line) throw new Error(`Expected the child's CHILD-REGION line, got:\n${output}`);
  return line.split(' ').slice(1);
}

describe.each(SETUPS)('region from $name (built CLI)', (setup) => {
  it('check reports it and where it came from', async () => {
    const env = await prepare(setup);
    const run = await sandbox.run(['check', '--json'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ region: setup.region, regionFrom: 'profile' });
  });

  it.skipIf(!HAS_BOTOCORE).each(['exec', 'watch'])(
    '%s hands the child AWS_REGION and AWS_DEFAULT_REGION; botocore agrees',
    async (command) => {
      const env = await prepare(setup);
      const run = await sandbox.run([command, '--', ...CHILD], env);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(childLine(run.stdout)).toEqual([setup.region, setup.region, setup.region]);
    },
  );
});

describe('no region anywhere (built CLI)', () => {
  it('check uses us-east-1 and says so as a warning', async () => {
    const run = await sandbox.run(['check']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/us-east-1 \(No region configured/);
  });

  it("--region wins over everything, and an invalid one is refused by the config file's rule", async () => {
    await writeFile(sandbox.env.AWS_CONFIG_FILE as string, '[default]\nregion = eu-west-1\n', {
      mode: 0o600,
    });
    const ok = await sandbox.run(['check', '--json', '--region', 'eusc-de-east-1'], {
      AWS_REGION: 'us-west-2',
    });
    expect(JSON.parse(ok.stdout)).toMatchObject({ region: 'eusc-de-east-1', regionFrom: 'option' });
    const bad = await sandbox.run(['check', '--region', 'Europe']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('`--region` must be an AWS region like eu-west-1, got `Europe` (string)');
  });
});
