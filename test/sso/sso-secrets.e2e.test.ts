/**
 * Nothing secret of an SSO login in any output, log or state file: a supervisor (built CLI, log at
 * debug level) finds the SSO session ended and logs in (built-in device flow), then `status --json`,
 * `check --json` and `cred-supervisor login` run beside it. Every access token, refresh token, client
 * secret and device code the local IAM Identity Center ever issued is searched for (whole, or any
 * 16-character piece, also URL-encoded) in: the supervisor's stderr, every file in its state dir and in
 * the runtime dir of the login lock, the outputs of the three commands, and the supervisor's command
 * line and environment. Zero hits. Positive control: the SSO cache, which holds them by design.
 */
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestStatus } from '../../src/control/control-client.js';
import { ssoCacheFile } from '../../src/sso/sso-cache-path.js';
import { tempDir } from '../credentials/support/temp-dir.js';
import { type Exhibit, filesUnder, findSecrets } from '../reliability/support/secret-scan.js';
import { running, startWatch } from '../support/live-watch.js';
import { procBytes } from '../support/proc.js';
import { ssoWorld, writeLogin } from '../support/sso-world.js';
import { assertBuilt, CLI, waitUntil } from '../support/watch-session.js';

describe('SSO secrets', () => {
  beforeAll(() => assertBuilt());

  it('no token, refresh token, client secret or device code in any output, log or state file', async () => {
    const world = await ssoWorld({ autoApproveAfterPolls: 1 });
    await writeLogin(world, -60_000);
    world.sso.endSession();
    const runtimeDir = path.join(await tempDir('cred-supervisor-run-'), 'run');
    const env = { ...world.env, XDG_RUNTIME_DIR: runtimeDir };
    const watch = await startWatch(env, ['--profile', 'sso-dev', '--log-level', 'debug']);
    await waitUntil(
      () => running(watch),
      () => `running; stderr: ${watch.stderr}`,
      30_000,
      200,
    );
    const supervisorPid = (await requestStatus(watch.stateDir)).pid;

    const run = (args: string[]) =>
      execa(process.execPath, [CLI, ...args], {
        cwd: watch.dir,
        env,
        extendEnv: false,
        reject: false,
        timeout: 60_000,
      });
    const status = await run(['status', '--json']);
    expect(JSON.parse(status.stdout).sso).toMatchObject({ session: 'corp', loginInProgress: false });
    const check = await run(['check', '--json', '--profile', 'sso-dev']);
    const login = await run(['login', '--profile', 'sso-dev']);
    expect(login.exitCode).toBe(0);
    expect(world.sso.count('StartDeviceAuthorization')).toBe(2);

    const secrets = world.sso
      .issuedSecrets()
      .map((value, i) => ({ name: `secret ${i + 1} issued by IAM Identity Center`, value }));
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const text = (where: string, value: string): Exhibit => ({ where, bytes: Buffer.from(value, 'latin1') });
    const exhibits: Exhibit[] = [
      text('watch stderr', watch.stderr),
      text('status --json', status.stdout + status.stderr),
      text('check --json', check.stdout + check.stderr),
      text('login', login.stdout + login.stderr),
      ...filesUnder(watch.stateDir),
      ...filesUnder(runtimeDir),
      { where: 'supervisor cmdline', bytes: procBytes(supervisorPid, 'cmdline') },
      { where: 'supervisor environ', bytes: procBytes(supervisorPid, 'environ') },
    ];
    expect(exhibits.some((e) => e.where.endsWith('supervisor.log') && e.bytes.length > 0)).toBe(true);
    expect(findSecrets(exhibits, secrets)).toEqual([]);

    // Positive control: the scan finds the tokens where they are meant to be.
    const cache = filesUnder(path.dirname(ssoCacheFile({ kind: 'session', sessionName: 'corp' }, env)));
    expect(findSecrets(cache, secrets).length).toBeGreaterThan(0);
  }, 120_000);
});
