// STS in trouble while the child runs: down (ECONNREFUSED), slow (past the 3 s per-attempt timeout),
// failing with 500s, throttling. Through the real `cred-supervisor watch`: the child is never stopped
// for a network blip, nothing ever says "expired", the checks come back with growing delays, and
// everything settles once STS answers again. The pure rules behind this are unit tested in
// test/supervisor/expiry-transitions.test.ts ("network failures never stop a running child").
import { describe, expect, it } from 'vitest';
import type { FakeStsKey, FakeStsRequest } from '../support/fake-sts.js';
import {
  reliabilitySandbox,
  startFakeSts,
  startWatch,
  type WatchSession,
  writeKey,
} from '../support/watch-session.js';

const probeBy =
  (key: FakeStsKey, since: number, status?: number) =>
  (r: FakeStsRequest): boolean =>
    r.action === 'GetCallerIdentity' &&
    r.accessKeyId === key.accessKeyId &&
    r.at >= since &&
    (status === undefined || r.status === status);

/** The supervisor's own lines (the child prints nothing here, but be explicit). */
function supervisorLines(watch: WatchSession): string {
  return watch.output
    .split('\n')
    .filter((line) => line.startsWith('[cred-supervisor]'))
    .join('\n');
}

async function runningChild(watch: WatchSession): Promise<number> {
  await watch.waitFor('CHILD-READY');
  const status = await watch.waitForStatus((s) => s.state === 'running', 'running');
  expect(status.child?.pid).toBeTypeOf('number');
  return status.child!.pid!;
}

// Each test has its own fake STS and supervisor, and spends most of its time waiting: run them together.
describe.concurrent('STS faults while the child runs (built CLI)', () => {
  it('down, slow, 500s and throttling: the child keeps running, "expired" is never said, it recovers', async ({
    onTestFinished,
  }) => {
    const sts = await startFakeSts(onTestFinished);
    const key = sts.issueKey();
    const sandbox = await reliabilitySandbox(sts.url, onTestFinished);
    await writeKey(sandbox, key);
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      // A probe every second, so each fault is met at once.
      args: ['--check-schedule', '* * * * * *'],
      env: { FAKE_CDK_READY_MARKER: 'CHILD-READY' },
    });
    const childPid = await runningChild(watch);

    const faults: Array<{
      name: string;
      begin: () => Promise<void> | void;
      end: () => Promise<void> | void;
      said: RegExp;
    }> = [
      {
        name: 'down',
        begin: () => sts.goDown(),
        end: () => sts.comeBack(),
        said: /scheduled STS check failed: STS could not be reached \(ECONNREFUSED\)/,
      },
      {
        name: 'slow',
        begin: () => {
          sts.latencyMs = 4_000;
        },
        end: () => {
          sts.latencyMs = 0;
        },
        said: /scheduled STS check failed: STS did not answer/,
      },
      {
        name: '500',
        // Both attempts of one check (the SDK retries once); the next check finds STS well again.
        begin: () => sts.failNext(2, 500, 'InternalFailure'),
        end: () => {},
        said: /scheduled STS check failed: STS failed on its side \(InternalFailure, HTTP 500\)/,
      },
      {
        name: 'throttling',
        begin: () => sts.failNext(2, 400, 'Throttling', 'Rate exceeded'),
        end: () => {},
        said: /scheduled STS check failed: STS is throttling requests \(Throttling, HTTP 400\)/,
      },
    ];

    for (const fault of faults) {
      const since = watch.mark();
      await fault.begin();
      const said = await watch.waitFor(fault.said, { since, timeoutMs: 20_000 });
      expect(said, fault.name).toBeTruthy();
      expect(watch.outputSince(since), fault.name).toContain('The command keeps running');
      const during = await watch.status();
      expect(during.state, fault.name).toBe('running');
      expect(during.child?.pid, fault.name).toBe(childPid);
      expect(during.lastError, fault.name).not.toMatch(/expired/i);

      const healed = Date.now();
      await fault.end();
      // Recovered: a check after the fault succeeded, with the same child still running.
      await sts.waitForRequest(probeBy(key, healed, 200), 20_000);
    }

    const after = await watch.status();
    expect(after).toMatchObject({ state: 'running', child: { pid: childPid, restarts: 0 } });
    expect(watch.output).not.toContain('Stopping the command');
    expect(supervisorLines(watch)).not.toMatch(/expired|waiting-for-credentials/i);
    const log = await watch.log();
    expect(log).toContain('"to":"running"');
    expect(log).not.toMatch(/expired|waiting-for-credentials|credentials-needed/i);

    watch.signal('SIGTERM');
    expect(await watch.exited).toMatchObject({ code: 143, signal: null });
  });

  it('retries a failing check with growing delays between the scheduled ones, and never stops the child', async ({
    onTestFinished,
  }) => {
    const sts = await startFakeSts(onTestFinished);
    const key = sts.issueKey();
    const sandbox = await reliabilitySandbox(sts.url, onTestFinished);
    await writeKey(sandbox, key);
    // Scheduled checks 20 s apart, the first about 5 s from now (once the child runs; else 20 s later):
    // the retries between them (1 s, 2 s, 4 s, …) are the backoff's alone.
    const first = Math.floor(Date.now() / 1000 + 5) % 20;
    const schedule = `${[first, first + 20, first + 40].join(',')} * * * * *`;
    const watch = startWatch(sandbox, {
      finished: onTestFinished,
      args: ['--check-schedule', schedule],
      env: { FAKE_CDK_READY_MARKER: 'CHILD-READY' },
    });
    const childPid = await runningChild(watch);
    const since = Date.now();
    // Three failing checks (each: an attempt and the SDK's one retry), then STS is fine.
    sts.failNext(6, 503, 'ServiceUnavailable');
    const recovered = await sts.waitForRequest(probeBy(key, since, 200), 50_000);

    const attempts = sts.requests.filter(probeBy(key, since)).filter((r) => r.at <= recovered.at);
    // One check = the requests within a few hundred ms of each other.
    const checks: FakeStsRequest[][] = [];
    for (const attempt of attempts) {
      const last = checks.at(-1);
      if (last && attempt.at - last[0]!.at < 600) last.push(attempt);
      else checks.push([attempt]);
    }
    expect(checks.map((c) => c.map((r) => r.status))).toEqual([[503, 503], [503, 503], [503, 503], [200]]);
    const gaps = checks.slice(1).map((check, i) => check[0]!.at - checks[i]![0]!.at);
    // Backoff, not hammering: each wait at least a second, and growing.
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThan(gaps[0]! * 1.5);
    expect(gaps[2]).toBeGreaterThan(gaps[1]! * 1.5);

    // Said once for the whole outage, not once per retry.
    expect(watch.output.match(/scheduled STS check failed/g)).toHaveLength(1);
    expect(await watch.status()).toMatchObject({ state: 'running', child: { pid: childPid, restarts: 0 } });
    expect(supervisorLines(watch)).not.toMatch(/expired/i);

    watch.signal('SIGINT');
    expect(await watch.exited).toMatchObject({ code: 130, signal: null });
  }, 60_000);
});
