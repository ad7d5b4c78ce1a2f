/**
 * Accounts never switch silently (issue: a rewritten file with keys for another account was served to
 * the running child, 0 restarts). Now the child is stopped with a prompt naming both accounts, and
 * restarts on the new account only once the person confirms with `reload --accept-account ID`.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { FakeSts } from '../support/fake-sts.js';
import {
  CLI,
  flat,
  NO_PROBES,
  startWatch,
  useWatchProject,
  type WatchProject,
} from '../support/watch-session.js';

let sts: FakeSts;
let project: WatchProject;
useWatchProject((context) => {
  ({ sts, project } = context);
});

const FIRST = '111111111111';
const OTHER = '222222222222';

describe('watch: credentials for another account', () => {
  it('stops the child, names both accounts, and restarts on the new one only after reload --accept-account', async () => {
    await project.writeCredentials(sts.issueKey({ account: FIRST }));
    const session = startWatch(project, { args: ['--check-schedule', NO_PROBES] });
    const before = await session.waitForStatus((s) => s.state === 'running', 'running', 20_000);
    expect(before.credentials.account).toBe(FIRST);

    const other = sts.issueKey({ account: OTHER });
    await project.writeCredentials(other, { atomic: true });
    const prompt = await session.waitForOutput(/credentials needed[\s\S]*?\n─+\n/, { timeoutMs: 15_000 });
    expect(flat(prompt[0])).toContain(`for account ${OTHER}, not ${FIRST}`);
    const waiting = await session.waitForStatus((s) => s.state === 'waiting-for-credentials', 'waiting');
    expect(waiting.credentials.account).toBe(FIRST);
    expect(sts.requestsBy(other.accessKeyId).length).toBeGreaterThan(0);

    const reload = await execa(process.execPath, [CLI, 'reload', '--accept-account', OTHER], {
      cwd: project.dir,
      env: project.env,
      extendEnv: false,
      reject: false,
    });
    expect(reload.exitCode, reload.stderr).toBe(0);
    const after = await session.waitForStatus(
      (s) => s.state === 'running' && s.credentials.account === OTHER,
      'running on the other account',
      15_000,
    );
    expect(after.child.restarts).toBe(1);
  }, 60_000);
});
