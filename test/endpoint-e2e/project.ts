/**
 * A temp project for the endpoint e2e tests: an isolated HOME whose `~/.aws/credentials` holds a
 * decoy `[default]` key (valid at the fake STS, so a child that fell back to it would be seen using
 * it), the working directory with `.cred-supervisor/credentials`, and optionally the smallest CDK
 * project `cdk watch` accepts: a hand-written cloud assembly, no app to synthesize.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import type { FakeStsKey } from '../support/fake-sts.js';
import { envLines } from '../support/sandbox.js';

export interface Project {
  /** The temp root: everything below is removed when the test finishes. */
  root: string;
  home: string;
  /** The working directory the supervisor runs in. */
  dir: string;
  /** `<dir>/.cred-supervisor`: where the supervisor keeps its state and log. */
  stateDir: string;
  logFile: string;
  credentialsFile: string;
  /**
   * The supervisor's whole environment: PATH, the temp HOME, STS at the fake, no instance metadata.
   * Tests add the region and their own settings.
   */
  env: Record<string, string>;
  /** Rewrites the credentials file the way a person's script would: whole, by an atomic rename. */
  writeCredentials(key: FakeStsKey): Promise<void>;
}

export const STACK_NAME = 'TestStack';

/** `cdk watch --app cdk.out` deploys this assembly as is: one stack with one SNS topic. */
export async function writeCloudAssembly(dir: string): Promise<void> {
  const assembly = path.join(dir, 'cdk.out');
  await mkdir(assembly, { recursive: true });
  await mkdir(path.join(dir, 'src'));
  await writeFile(path.join(dir, 'src', 'a.txt'), 'first\n');
  await writeFile(
    path.join(dir, 'cdk.json'),
    JSON.stringify({ app: 'cdk.out', watch: { include: ['src/**'] } }, null, 2),
  );
  await writeFile(
    path.join(assembly, 'manifest.json'),
    JSON.stringify({
      version: '55.0.0',
      artifacts: {
        [STACK_NAME]: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/unknown-region',
          properties: { templateFile: `${STACK_NAME}.template.json` },
        },
      },
    }),
  );
  await writeFile(
    path.join(assembly, `${STACK_NAME}.template.json`),
    JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }),
  );
}

export async function createProject(options: {
  decoy: FakeStsKey;
  stsUrl: string;
  cdk?: boolean;
}): Promise<Project> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-e2e-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  const home = path.join(root, 'home');
  const dir = path.join(root, 'project');
  await mkdir(path.join(home, '.aws'), { recursive: true, mode: 0o700 });
  await writeFile(
    path.join(home, '.aws', 'credentials'),
    `[default]\naws_access_key_id = ${options.decoy.accessKeyId}\n` +
      `aws_secret_access_key = ${options.decoy.secretAccessKey}\n` +
      `aws_session_token = ${options.decoy.sessionToken}\n`,
    { mode: 0o600 },
  );
  await mkdir(path.join(dir, '.cred-supervisor'), { recursive: true, mode: 0o700 });
  if (options.cdk) await writeCloudAssembly(dir);
  const stateDir = path.join(dir, '.cred-supervisor');
  const credentialsFile = path.join(stateDir, 'credentials');
  let writes = 0;
  return {
    root,
    home,
    dir,
    stateDir,
    logFile: path.join(stateDir, 'supervisor.log'),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_ENDPOINT_URL_STS: options.stsUrl,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    credentialsFile,
    async writeCredentials(key) {
      const temp = path.join(root, `credentials.${++writes}.tmp`);
      await writeFile(temp, `${envLines(key).join('\n')}\n`, { mode: 0o600 });
      await rename(temp, credentialsFile);
    },
  };
}

/** The environment `cdk watch` runs in under the supervisor: isolated, every AWS call to the fake. */
export function cdkEnv(project: Project, fakeUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: project.home,
    // The CDK CLI caches account ids there, and would otherwise use the OS user's home.
    CDK_HOME: path.join(project.root, 'cdk-home'),
    CDK_DISABLE_CLI_TELEMETRY: '1',
    CDK_DISABLE_VERSION_CHECK: '1',
    AWS_ENDPOINT_URL: fakeUrl,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The first four and last four characters, as the sdk-child fixture prints a key id. */
export function masked(accessKeyId: string): string {
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}
