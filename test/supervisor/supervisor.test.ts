// The middle layer, directly: a real `Supervisor` (real child process, real files, the real AWS SDK
// against the local fake STS) driven through a clock the test moves. Where the pure machine's tests
// stop and the CLI's e2e tests are too far away to say which layer broke.
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/config/options.js';
import type { StatusSnapshot } from '../../src/control/status.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import type { Clock } from '../../src/timers/clock.js';
import { collectingSink } from '../child/helpers.js';
import { FakeSts } from '../support/fake-sts.js';
import {
  cleanUpWatchSessions,
  createWatchProject,
  FAKE_CDK,
  NO_PROBES,
  type WatchProject,
  waitUntil,
} from '../support/watch-session.js';

const HOUR = 3_600_000;

/** The system's timers and monotonic clock, and a wall clock the test can move (a suspend/resume). */
function movableClock() {
  let offset = 0;
  const clock: Clock = {
    now: () => Date.now() + offset,
    monotonic: () => performance.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const sleep = (ms: number) => {
    offset += ms;
  };
  return { clock, sleep };
}

let sts: FakeSts;
let project: WatchProject;
const running: Supervisor[] = [];

beforeEach(async () => {
  sts = await FakeSts.start();
  project = await createWatchProject(sts);
});
afterEach(async () => {
  for (const supervisor of running.splice(0)) supervisor.requestStop('sigterm', true);
  await cleanUpWatchSessions();
  await sts.close();
});

function start(clock: Clock) {
  const stderr = collectingSink();
  const options = {
    ...defaultOptions(project.dir),
    stateDir: project.stateDir,
    credentialsFile: project.credentialsFile,
    checkSchedule: NO_PROBES,
    stopGraceMs: 1000,
  };
  const supervisor = new Supervisor({
    options,
    command: [FAKE_CDK, 'watch'],
    cwd: project.dir,
    env: project.env,
    stdout: collectingSink().sink,
    stderr: stderr.sink,
    interactive: false,
    watchdog: false,
    // The SDK reads AWS_ENDPOINT_URL_STS from the process, not from `env`.
    verifyOptions: { endpoint: sts.url },
    clock,
  });
  running.push(supervisor);
  const states: StatusSnapshot[] = [];
  supervisor.on('state', (s) => states.push(s));
  const exit = supervisor.run();
  const until = (predicate: (s: StatusSnapshot) => boolean, what: string) =>
    waitUntil(
      () => predicate(supervisor.status()),
      () => `${what}; output:\n${stderr.text()}`,
    );
  return { supervisor, stderr, states, exit, until };
}

describe('Supervisor (real child, real fake STS, movable clock)', () => {
  it('verifies with STS, starts the command, and stops it on request with exit code 143', async () => {
    const key = sts.issueKey({ ttlMs: HOUR });
    await project.writeCredentials(key);
    const { supervisor, exit, until } = start(movableClock().clock);
    await until((s) => s.state === 'running' && s.child.pid !== null, 'running');
    expect(supervisor.status().credentials).toMatchObject({ account: key.account, arn: key.arn });
    expect(sts.requestsBy(key.accessKeyId)).toMatchObject([{ action: 'GetCallerIdentity', status: 200 }]);
    // One command: no process list, and `restart NAME` says what it needs.
    expect(supervisor.status().children).toBeUndefined();
    expect(supervisor.children()).toEqual([]);
    await expect(supervisor.restartChild('web')).rejects.toThrow(
      'needs a supervisor started with --procfile',
    );

    supervisor.requestStop('sigterm');
    expect(await exit).toBe(143);
    expect(supervisor.status().state).toBe('stopped');
  });

  it('after a suspend past the expiry: checks at once, stops the command, restarts it on fresh credentials', async () => {
    const { clock, sleep } = movableClock();
    await project.writeCredentials(sts.issueKey({ ttlMs: HOUR }));
    const { supervisor, stderr, until } = start(clock);
    await until((s) => s.state === 'running', 'running');
    const firstPid = supervisor.status().child.pid;

    sleep(2 * HOUR);
    await until((s) => s.state === 'waiting-for-credentials', 'the command stopped for credentials');
    expect(stderr.text()).toMatch(/clock jumped ahead by 2h/);
    await waitUntil(() => /credentials needed/.test(stderr.text()), 'the prompt');

    await project.writeCredentials(sts.issueKey({ ttlMs: 4 * HOUR }), { atomic: true });
    await until((s) => s.state === 'running' && s.child.restarts === 1, 'running after one restart');
    expect(supervisor.status().child.pid).not.toBe(firstPid);
  });
});
