/**
 * `watch -- missing-command` says the command does not exist before anything else: no STS call, no
 * credentials prompt, no MFA question; exit 127 as a shell would.
 */
import { describe, expect, it } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import { type Sandbox, useSandbox } from '../support/sandbox.js';

let sts: FakeSts;
let sandbox: Sandbox;

useSandbox(async (context) => {
  ({ sts, sandbox } = context);
});

describe('watch with a command that does not exist', () => {
  it('says so at once, before asking for or verifying credentials', async () => {
    // No credentials anywhere: before the fix this waited for credentials first.
    const run = await sandbox.run(['watch', '--', 'no-such-command-for-cred-supervisor', '--flag']);
    expect(run.exitCode).toBe(127);
    expect(run.stderr).toMatch(
      /^\[cred-supervisor\] Cannot find the command `no-such-command-for-cred-supervisor`/,
    );
    expect(run.stderr).not.toContain('credentials needed');
    expect(sts.requests).toEqual([]);
  });
});
