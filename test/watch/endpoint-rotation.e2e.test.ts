// endpoint delivery with a real AWS SDK v3 child (test/fixtures/sdk-child.mjs, default credential
// chain), through the built CLI: a credentials file rewritten before expiry reaches the running child
// through the loopback endpoint; it signs with the new key, and it is the same process (no restart).
import { describe, expect, it } from 'vitest';
import type { FakeSts, FakeStsKey } from '../support/fake-sts.js';
import {
  assertNoSecretsLeaked,
  NO_PROBES,
  SDK_CHILD,
  startWatch,
  useWatchProject,
  type WatchProject,
} from '../support/watch-session.js';

let sts: FakeSts;
let project: WatchProject;
useWatchProject((context) => {
  ({ sts, project } = context);
});

/** How sdk-child.mjs prints the key that signed a call. */
function masked(key: FakeStsKey): string {
  return `${key.accessKeyId.slice(0, 4)}…${key.accessKeyId.slice(-4)}`;
}

describe('watch --delivery endpoint', () => {
  it('serves a rewritten file to the running SDK child: it signs with the new key, same pid', async () => {
    // Four minutes left: inside the SDK's 5-minute refresh window, so it asks the endpoint before
    // each call, as it does for any key close to its end.
    const first = sts.issueKey({ ttlMs: 4 * 60_000 });
    await project.writeCredentials(first);
    const session = startWatch(project, {
      args: ['--check-schedule', NO_PROBES, '--refresh-before', '10s'],
      command: [process.execPath, SDK_CHILD],
      env: { SDK_CHILD_INTERVAL_MS: '150' },
    });
    const ready = await session.waitForOutput(/READY pid=(\d+)\n/);
    await session.waitForOutput(new RegExp(`CALL ok account=\\d+ key=${masked(first)}\\n`));
    const before = await session.waitForStatus((s) => s.state === 'running', 'running');
    expect(before.child?.pid).toBe(Number(ready[1]));

    const from = session.mark();
    const second = sts.issueKey();
    await project.writeCredentials(second);
    await session.waitForOutput(new RegExp(`CALL ok account=\\d+ key=${masked(second)}\\n`), { from });

    const after = await session.status();
    expect(after).toMatchObject({ state: 'running', child: { pid: before.child?.pid, restarts: 0 } });
    expect(session.output.match(/READY pid=/g)).toHaveLength(1);
    expect(session.childPids()).toHaveLength(1);
    // The supervisor verified the new key once; every other call with it came from the child.
    const childCalls = sts.requestsBy(second.accessKeyId).length - 1;
    expect(childCalls).toBeGreaterThan(0);
    // No call failed on the way: the switch was seamless.
    expect(session.output).not.toMatch(/CALL error/);

    session.kill('SIGINT');
    expect((await session.waitForExit()).code).toBe(130);
    assertNoSecretsLeaked(sts, session);
  });
});
