// Another local user, with no token and no access to the state directory, attacks the credential
// endpoint by holding thousands of idle connections (re-opened as fast as they are dropped), while
// the supervisor runs under a low file-descriptor limit (prlimit 256). The SDK child must still get
// its credentials (a rotation reaches it, no failed call), the supervisor must stay under its limit,
// and a credentials re-read (which spawns `git ls-files`) at the very edge of the limit must not end
// it. Before: the connections used up the descriptors, the child got ECONNRESET, and the next re-read
// died on an unhandled EMFILE 'error', leaving socket, state and token behind.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDescriptors } from '../support/proc.js';
import { waitUntil } from '../support/wait-until.js';
import {
  endpointPortOf,
  reliabilitySandbox,
  renameKeyInto,
  SDK_CHILD_COMMAND,
  startFakeSts,
  startWatch,
  type WatchSession,
  writeKey,
} from '../support/watch-session.js';
import { holdIdleConnections } from './support/idle-attacker.js';

const FD_LIMIT = 256;
const ATTACKER_CONNECTIONS = 2000;
const masked = (keyId: string) => `key=${keyId.slice(0, 4)}…${keyId.slice(-4)}`;
const prlimitAvailable = process.platform === 'linux' && hasPrlimit();
if (!prlimitAvailable) console.warn('hostile-neighbour.test.ts skipped: needs Linux and prlimit(1)');

function hasPrlimit(): boolean {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Sets the soft limit (the hard one stays at FD_LIMIT, so the soft one can be raised back). */
function limitDescriptors(pid: number, limit: number): void {
  execFileSync('prlimit', ['--pid', String(pid), `--nofile=${limit}:${FD_LIMIT}`]);
}

/** How many credential candidates the supervisor has judged so far (its log, one line each). */
async function judgements(watch: WatchSession): Promise<number> {
  return ((await watch.log()).match(/"event":"credentials-(verified|rejected)"/g) ?? []).length;
}

function failedCalls(watch: WatchSession, since: number): string[] {
  return watch.outputSince(since).match(/CALL error[^\n]*/g) ?? [];
}

describe.runIf(prlimitAvailable)('a hostile neighbour on the endpoint', () => {
  it('2,000 idle connections held against a supervisor limited to 256 descriptors: the child is still served, a re-read at the limit does not crash', async ({
    onTestFinished,
  }) => {
    const sts = await startFakeSts(onTestFinished);
    const sandbox = await reliabilitySandbox(sts.url, onTestFinished);
    const keys = [sts.issueKey(), sts.issueKey(), sts.issueKey(), sts.issueKey()];
    await writeKey(sandbox, keys[0]!);
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      command: SDK_CHILD_COMMAND,
      args: ['--check-schedule', '0 0 1 1 *', '--region', 'us-east-1'],
      env: { SDK_CHILD_INTERVAL_MS: '100', CRED_SUPERVISOR_LEASE_MS: '500' },
    });
    const childPid = Number((await watch.waitFor(/READY pid=\d+/)).split('=')[1]);
    await watch.waitFor(`CALL ok account=123456789012 ${masked(keys[0]!.accessKeyId)}`);
    limitDescriptors(watch.pid, FD_LIMIT);

    const since = watch.mark();
    const attacker = holdIdleConnections(endpointPortOf(childPid), ATTACKER_CONNECTIONS);
    onTestFinished(() => attacker.stop());
    await waitUntil(
      () => attacker.opened >= ATTACKER_CONNECTIONS,
      'the attacker to open its connections',
      20_000,
    );

    // A rotation under attack: re-read, verified and handed to the running child through the endpoint.
    await renameKeyInto(sandbox, keys[1]!);
    await watch.waitFor(`CALL ok account=123456789012 ${masked(keys[1]!.accessKeyId)}`, {
      since,
      timeoutMs: 20_000,
    });
    // And it goes on being served: ten more fetches' worth of calls while the attack goes on.
    const later = watch.mark();
    await waitUntil(
      () => (watch.outputSince(later).match(/CALL ok/g) ?? []).length >= 20,
      'twenty more successful calls during the attack',
      20_000,
    );
    expect(attacker.opened).toBeGreaterThanOrEqual(ATTACKER_CONNECTIONS);
    expect(openDescriptors(watch.pid).length).toBeLessThan(FD_LIMIT);
    expect(failedCalls(watch, since)).toEqual([]);
    attacker.stop();

    // At the edge of the limit: every descriptor but one in use, then a re-read (git ls-files needs
    // three for its pipes). The supervisor may not manage the re-read, but it must not die.
    const judged = await judgements(watch);
    limitDescriptors(watch.pid, openDescriptors(watch.pid).length + 1);
    await renameKeyInto(sandbox, keys[2]!);
    await waitUntil(
      async () => !watch.running || (await judgements(watch)) > judged,
      'the re-read at the descriptor limit to be judged (verified or rejected)',
      20_000,
    );
    expect(watch.running).toBe(true);
    limitDescriptors(watch.pid, FD_LIMIT);
    await renameKeyInto(sandbox, keys[3]!);
    await watch.waitFor(`CALL ok account=123456789012 ${masked(keys[3]!.accessKeyId)}`, {
      timeoutMs: 20_000,
    });
    expect(watch.running).toBe(true);

    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
  });
});
