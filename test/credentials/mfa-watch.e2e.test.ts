/**
 * A detached `cred-supervisor watch` (no terminal) whose profile assumes a role with MFA: it says a code
 * is needed and how to give it, and `cred-supervisor mfa CODE` from another terminal completes it.
 */
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { running, startWatch } from '../support/live-watch.js';
import { assertBuilt, CLI, waitUntil } from '../support/watch-session.js';
import { MFA_SERIAL, mfaDeployProfile } from './support/mfa-profile.js';

describe('watch: an MFA code answered from another pane', () => {
  beforeAll(() => assertBuilt());

  it('asks, takes `cred-supervisor mfa CODE`, assumes the role and starts the child', async () => {
    const { sts, env } = await mfaDeployProfile();
    const watch = await startWatch(env, ['--profile', 'deploy']);
    await waitUntil(
      () =>
        watch.stderr.includes(
          `MFA code needed for ${MFA_SERIAL} (profile deploy): run \`cred-supervisor mfa CODE\``,
        ),
      () => `the MFA question; stderr: ${watch.stderr}`,
      20_000,
      100,
    );
    const answer = await execa(process.execPath, [CLI, 'mfa', '246810'], {
      cwd: watch.dir,
      env,
      extendEnv: false,
      reject: false,
    });
    expect(answer.stdout).toBe('MFA code handed to the supervisor for profile deploy.');
    await waitUntil(
      () => running(watch),
      () => `running; stderr: ${watch.stderr}`,
      20_000,
      100,
    );
    expect(sts.requests.some((r) => r.action === 'AssumeRole' && r.status === 200)).toBe(true);
    expect(watch.stderr).not.toContain('246810');
  });
});
