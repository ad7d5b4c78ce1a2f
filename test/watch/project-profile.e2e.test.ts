// The CDK CLI given a profile (cdk.json's `"profile"`, or its own `--profile`) builds its credentials
// from that profile alone (`fromIni`). With endpoint delivery its AWS config files must therefore stay
// the person's own: neutral ones would leave it no profile at all. Through the built CLI, with a
// fixture `cdk` that reads the profile through the real SDK and calls the fake STS with it.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, NO_PROBES, startWatch, useWatchProject } from '../support/watch-session.js';

const PROFILE_CDK = fileURLToPath(new URL('../fixtures/profile-cdk/cdk', import.meta.url));
const PROFILE_ACCOUNT = '444455556666';

const ctx = useWatchProject();

async function writeDevProfile() {
  const key = ctx.sts.issueKey({ prefix: 'AKIA', account: PROFILE_ACCOUNT });
  await writeFile(ctx.project.env.AWS_CONFIG_FILE as string, '[profile dev]\nregion = eu-west-1\n', {
    mode: 0o600,
  });
  await writeFile(
    ctx.project.env.AWS_SHARED_CREDENTIALS_FILE as string,
    `[dev]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  return key;
}

describe('watch --delivery endpoint with a profile the CDK CLI reads itself', () => {
  it.each([
    ['cdk.json names it', [] as string[], true],
    ["the command's own --profile names it", ['--profile', 'dev'], false],
  ])('%s: the child finds the profile and signs with its key', async (_, extraArgs, cdkJson) => {
    const key = await writeDevProfile();
    if (cdkJson) {
      await writeFile(path.join(ctx.project.dir, 'cdk.json'), JSON.stringify({ app: 'x', profile: 'dev' }));
    }
    const session = startWatch(ctx.project, {
      args: ['--check-schedule', NO_PROBES],
      command: [PROFILE_CDK, 'watch', ...extraArgs],
    });
    const [line] = await session.waitForOutput(/PROFILE-CDK \w+ .*/, { timeoutMs: 20_000 });
    expect(line).toBe(`PROFILE-CDK ok profile=dev account=${PROFILE_ACCOUNT}`);
    // One by the supervisor verifying the profile, one by the child itself.
    expect(ctx.sts.requestsBy(key.accessKeyId).length).toBeGreaterThanOrEqual(2);
    const status = await session.waitForStatus((s) => s.state === 'running', 'running');
    expect(status.credentials.account).toBe(PROFILE_ACCOUNT);
  });
});

describe('watch waiting for credentials when cdk.json names the profile', () => {
  it("the prompt's fix is for that profile, not the credentials file", async () => {
    const key = await writeDevProfile();
    ctx.sts.expireKey(key.accessKeyId);
    await writeFile(path.join(ctx.project.dir, 'cdk.json'), JSON.stringify({ app: 'x', profile: 'dev' }));
    const session = startWatch(ctx.project, {
      args: ['--check-schedule', NO_PROBES],
      command: [PROFILE_CDK, 'watch'],
    });
    await session.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting for credentials');
    await session.waitForOutput(/Refresh profile dev the way it is set up/, { timeoutMs: 15_000 });
  });
});

describe('exec --delivery endpoint with cdk.json naming a profile', () => {
  it('runs the command with the profile it reads itself', async () => {
    const key = await writeDevProfile();
    await writeFile(path.join(ctx.project.dir, 'cdk.json'), JSON.stringify({ app: 'x', profile: 'dev' }));
    const run = await runCli(['exec', '--', PROFILE_CDK, 'deploy']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`PROFILE-CDK ok profile=dev account=${PROFILE_ACCOUNT}`);
    expect(ctx.sts.requestsBy(key.accessKeyId).length).toBeGreaterThanOrEqual(2);
  });
});

describe('status names the region and the credential source, and where each came from', () => {
  it('status --json and status (human) through the built CLI', async () => {
    await writeDevProfile();
    await writeFile(path.join(ctx.project.dir, 'cdk.json'), JSON.stringify({ app: 'x', profile: 'dev' }));
    // No AWS_REGION: the region is the one of the profile cdk.json names.
    const { AWS_REGION: _, ...env } = ctx.project.env;
    ctx.project.env = env;
    const session = startWatch(ctx.project, {
      args: ['--check-schedule', NO_PROBES],
      command: [PROFILE_CDK, 'watch'],
    });
    await session.waitForStatus((s) => s.state === 'running', 'running');
    const json = await runCli(['status', '--json']);
    expect(json.exitCode, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout);
    expect(status.region).toEqual({ name: 'eu-west-1', from: 'from profile dev in the AWS config file' });
    expect(status.credentials.source).toMatch(/^profile dev .*\(named by .*cdk\.json\)$/);
    const human = await runCli(['status']);
    expect(human.stdout).toMatch(/region: +eu-west-1 \(from profile dev in the AWS config file\)/);
    expect(human.stdout).toMatch(/from profile dev .*\(named by .*cdk\.json\)/);
  });
});

function runCli(args: string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: ctx.project.dir, env: ctx.project.env, timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
        if (error && code === null) reject(error);
        else resolve({ exitCode: code, stdout, stderr });
      },
    );
  });
}
