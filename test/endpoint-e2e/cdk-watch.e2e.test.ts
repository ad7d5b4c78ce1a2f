// The real built `cred-supervisor watch` supervising the real CDK CLI (`cdk watch --hotswap-fallback`,
// the aws-cdk devDependency) in a temp project with a hand-written cloud assembly. Every AWS call goes
// to the fake (AWS_ENDPOINT_URL), which records which key signed it; the supervisor itself only calls
// STS, so CloudFormation calls are cdk's. The fake answers InvalidAction to CloudFormation, so every
// deploy fails, and `cdk watch` swallows that and keeps waiting for changes, as it does on real AWS.
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type FakeSts, type FakeStsKey, type FakeStsRequest, useFakeSts } from '../support/fake-sts.js';
import { groupAlive, processesUnder } from '../support/proc.js';
import { waitUntil } from '../support/wait-until.js';
import { startWatch, type WatchPlace, type WatchSession } from '../support/watch-session.js';
import { cdkEnv, createProject, type Project } from './project.js';

const CDK = fileURLToPath(new URL('../../node_modules/.bin/cdk', import.meta.url));
const CDK_WATCH = [CDK, 'watch', '--app', 'cdk.out', '--hotswap-fallback', '--no-notices'];
/** Half a second: a rotation reaches cdk's SDK at its first call after that. Production: 60 s. */
const LEASE_MS = 500;
/** A schedule that does not come round during a test: the supervisor learns nothing from STS by itself. */
const NO_PROBE = '0 0 1 1 *';
const EVERY_SECOND = '* * * * * *';

let sts: FakeSts;
useFakeSts((started) => {
  sts = started;
});

interface CdkSetup {
  project: Project;
  watch: WatchSession<WatchPlace>;
  decoy: FakeStsKey;
}

async function superviseCdkWatch(
  first: FakeStsKey,
  options: { delivery: 'endpoint' | 'env'; checkSchedule: string },
): Promise<CdkSetup> {
  const decoy = sts.issueKey();
  const project = await createProject({ decoy, cdk: true, stsUrl: sts.url });
  await project.writeCredentials(first);
  const watch = startWatch(
    {
      ...project,
      env: {
        ...project.env,
        ...cdkEnv(project, sts.url),
        CRED_SUPERVISOR_LEASE_MS: String(LEASE_MS),
      },
    },
    {
      command: null,
      args: [
        '--delivery',
        options.delivery,
        '--check-schedule',
        options.checkSchedule,
        '--log-level',
        'debug',
        '--',
        ...CDK_WATCH,
      ],
    },
  );
  // The initial deploy is over once cdk has looked for the stack's resources (and been refused).
  await waitForCdkCall(
    watch,
    (r) => r.accessKeyId === first.accessKeyId && r.action === 'ListStackResources',
  );
  return { project, watch, decoy };
}

function cdkCalls(since = 0): FakeStsRequest[] {
  return sts.requests.filter((r) => r.service === 'cloudformation' && r.at >= since);
}

/** Every request the fake saw, one line each, times relative to the first; no secrets. */
function trace(keys: Record<string, FakeStsKey>): string {
  const t0 = sts.requests[0]?.at ?? 0;
  const names = new Map(Object.entries(keys).map(([name, key]) => [key.accessKeyId, name]));
  return sts.requests
    .map((r) => {
      const who = names.get(r.accessKeyId ?? '') ?? r.accessKeyId;
      return `+${r.at - t0}ms ${r.service}.${r.action} ${who} ${r.status} ${r.errorCode ?? ''}`;
    })
    .join('\n');
}

async function waitForCdkCall(watch: WatchSession<WatchPlace>, predicate: (r: FakeStsRequest) => boolean) {
  const found = () => cdkCalls().some(predicate);
  try {
    await watch.waitFor(found, 'a matching CloudFormation call from cdk', 20_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nRequests at the fake:\n${trace({})}`);
  }
}

/** SIGINT to the supervisor: it exits 130, and nothing started in the project is left running. */
async function stopAndExpectNothingLeft(setup: CdkSetup, childPgid: number): Promise<void> {
  // The group the supervisor recorded (for a later supervisor to clean up, had this one died).
  expect(setup.watch.recordedChildGroup()).toBe(childPgid);
  expect(groupAlive(childPgid)).toBe(true);
  expect(await setup.watch.interrupt()).toBe(130);
  expect(groupAlive(childPgid)).toBe(false);
  expect(processesUnder(setup.project.root)).toEqual([]);
  expect(sts.requestsBy(setup.decoy.accessKeyId)).toEqual([]);
  for (const key of sts.keys.values()) {
    expect(setup.watch.output).not.toContain(key.secretAccessKey);
    if (key.sessionToken) expect(setup.watch.output).not.toContain(key.sessionToken);
  }
}

async function touch(file: string): Promise<void> {
  const now = new Date();
  await utimes(file, now, now);
}

/**
 * Key 1 dies at STS (its file expiration still an hour away), key 2 is written and served. No
 * probe is due, so the supervisor does not know key 1 is dead: the child is not tainted, and key 2
 * is simply served once verified (the fake sees the supervisor's check: cdk is idle). Then cdk is
 * made to deploy, and so to call AWS, by a change in src/. Resolves with the time of that change.
 */
async function rotateThenDeploy(setup: CdkSetup, key1: FakeStsKey, key2: FakeStsKey): Promise<number> {
  const { watch, project } = setup;
  sts.expireKey(key1.accessKeyId);
  await project.writeCredentials(key2);
  await watch.waitFor(
    () => sts.requestsBy(key2.accessKeyId).some((r) => r.action === 'GetCallerIdentity'),
    'the supervisor verifying key 2',
  );
  expect(cdkCalls().filter((r) => r.accessKeyId === key2.accessKeyId)).toEqual([]);
  // cdk's SDK asks the endpoint again only at a call made a lease after its last fetch (its last
  // fetch was at or before its last call). That is a matter of time, not of a signal to wait for.
  const lastCdkCall = Math.max(...cdkCalls().map((r) => r.at));
  await waitUntil(() => Date.now() > lastCdkCall + LEASE_MS + 200, 'the lease to run out', LEASE_MS + 1_000);
  const touchedAt = Date.now();
  await touch(path.join(project.dir, 'src', 'a.txt'));
  return touchedAt;
}

describe('watch -- cdk watch (real CDK CLI, built CLI)', () => {
  it('endpoint: key 1 dies at STS, key 2 is written, and the running cdk signs with key 2 (no restart)', async () => {
    const key1 = sts.issueKey();
    const key2 = sts.issueKey();
    const setup = await superviseCdkWatch(key1, { delivery: 'endpoint', checkSchedule: NO_PROBE });
    const { watch, project } = setup;
    const before = await watch.status();
    expect(before).toMatchObject({ state: 'running', child: { restarts: 0 } });
    const cdkPid = before.child.pid as number;

    const touchedAt = await rotateThenDeploy(setup, key1, key2);
    // Once the short lease has passed, cdk's SDK fetches key 2 from the endpoint before signing (the
    // next test pins the first call down). A second change is only a safety net for a deploy that
    // raced the supervisor's own verification of key 2.
    await watch.waitFor(
      () =>
        watch
          .logEntries()
          .some(
            (e) =>
              e.event === 'endpoint-request' && e.status === 200 && Date.parse(String(e.time)) >= touchedAt,
          ),
      "cdk's SDK fetching from the endpoint",
    );
    const signedWith2 = (r: FakeStsRequest) => r.accessKeyId === key2.accessKeyId && r.at >= touchedAt;
    if (!cdkCalls().some(signedWith2)) {
      await touch(path.join(project.dir, 'src', 'a.txt'));
    }
    await waitForCdkCall(watch, signedWith2);

    const after = await watch.status();
    expect(after).toMatchObject({ state: 'running', child: { pid: cdkPid, restarts: 0 } });
    expect(watch.output).toContain("Triggering 'cdk deploy'");
    if (process.env.ENDPOINT_E2E_TRACE) console.info(trace({ key1, key2 }));
    await stopAndExpectNothingLeft(setup, cdkPid);
  });

  // The SDK's default chain (the one the CDK CLI uses) refreshes passively inside the 5-minute window
  // and only re-fetches before signing once the advertised expiration has passed. The endpoint
  // advertises `now + lease` (src/delivery/advertised-expiration.ts), so the first call after a
  // rotation is already signed with the new key: with `now + 5 min + lease` it was signed with the
  // cached dead key and `cdk watch` silently dropped that deploy.
  it('endpoint: the first call of the deploy right after the rotation is signed with key 2', async () => {
    const key1 = sts.issueKey();
    const key2 = sts.issueKey();
    const setup = await superviseCdkWatch(key1, { delivery: 'endpoint', checkSchedule: NO_PROBE });
    const touchedAt = await rotateThenDeploy(setup, key1, key2);
    await waitForCdkCall(setup.watch, (r) => r.at >= touchedAt);
    const [first] = cdkCalls(touchedAt);
    expect(first?.accessKeyId).toBe(key2.accessKeyId);
  });

  it('endpoint: the probe finds key 1 expired at STS, cdk is stopped, and restarted with key 2 once it is written', async () => {
    const key1 = sts.issueKey();
    const key2 = sts.issueKey();
    const setup = await superviseCdkWatch(key1, { delivery: 'endpoint', checkSchedule: EVERY_SECOND });
    const { watch, project } = setup;
    const firstPid = (await watch.status()).child.pid as number;

    // cdk swallows failed deploys, so only the probe can tell; the file still holds key 1.
    sts.expireKey(key1.accessKeyId);
    await watch.waitFor(
      (o) => o.includes('Stopping the command until fresh credentials are verified'),
      'the supervisor stopping cdk',
    );
    await watch.waitFor(() => !groupAlive(firstPid), 'the first cdk group to be gone');
    const writtenAt = Date.now();
    await project.writeCredentials(key2);
    // The restarted cdk's initial deploy catches up, signed with key 2.
    await waitForCdkCall(watch, (r) => r.accessKeyId === key2.accessKeyId && r.at >= writtenAt);

    const status = await watch.status();
    expect(status).toMatchObject({ state: 'running', child: { restarts: 1 } });
    expect(status.child.pid).not.toBe(firstPid);
    expect(cdkCalls(writtenAt).filter((r) => r.accessKeyId === key1.accessKeyId)).toEqual([]);
    if (process.env.ENDPOINT_E2E_TRACE) console.info(trace({ key1, key2 }));
    await stopAndExpectNothingLeft(setup, status.child.pid as number);
  });

  it('env: key 2 written after key 1 died at STS restarts cdk, whose calls are then signed with key 2', async () => {
    const key1 = sts.issueKey();
    const key2 = sts.issueKey();
    const setup = await superviseCdkWatch(key1, { delivery: 'env', checkSchedule: NO_PROBE });
    const { watch, project } = setup;
    const firstPid = (await watch.status()).child.pid as number;

    sts.expireKey(key1.accessKeyId);
    const writtenAt = Date.now();
    await project.writeCredentials(key2);
    // Static variables cannot change in a running process: a new cdk, whose initial deploy uses key 2.
    await waitForCdkCall(watch, (r) => r.accessKeyId === key2.accessKeyId && r.at >= writtenAt);

    const status = await watch.status();
    expect(status).toMatchObject({ state: 'running', child: { restarts: 1 } });
    expect(status.child.pid).not.toBe(firstPid);
    expect(groupAlive(firstPid)).toBe(false);
    expect(cdkCalls(writtenAt).filter((r) => r.accessKeyId === key1.accessKeyId)).toEqual([]);
    if (process.env.ENDPOINT_E2E_TRACE) console.info(trace({ key1, key2 }));
    await stopAndExpectNothingLeft(setup, status.child.pid as number);
  });
});
