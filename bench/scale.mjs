/**
 * Scale: N supervisors side by side (N = 1, 5, 20), each in its own project directory with a real
 * AWS SDK v3 child (test/fixtures/sdk-child.mjs, an STS call every 2 s through the credential
 * endpoint), and the credentials file of each rewritten with a fresh key every 10 s (staggered across
 * supervisors). Per N: CPU and memory per supervisor over the window, and whether every new key was
 * used by its child (the child prints the key that signed each call; the fake STS must have answered
 * it: each key's requests are counted at the fake too).
 *
 * Scaled down to fit the time budget: rotation every 10 s instead of every minute or hour, and keys
 * that live 4 minutes so the child's SDK (which re-fetches only within 5 minutes of the advertised
 * expiration) asks the endpoint on every call, as it does in a real key's last 5 minutes. With hour
 * keys the endpoint's 60 s lease would make a 10 s rotation invisible to the child by design.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sdkChildPath } from './lib/dist.mjs';
import { memoryKb, startCpuMeter } from './lib/proc.mjs';
import { startSupervisor } from './lib/processes.mjs';
import { createProject } from './lib/project.mjs';
import { ratio, round, summarize } from './lib/stats.mjs';

export const id = 'scale';
export const title = 'Scale';

const KEY_TTL_MS = 4 * 60_000;
const ROTATE_EVERY_MS = 10_000;
const CHILD_INTERVAL_MS = 2_000;

function mask(keyId) {
  return `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;
}

async function startOne(sts, index) {
  const key = sts.issueKey({ ttlMs: KEY_TTL_MS });
  const project = await createProject({ sts, key, name: `scale-${index}` });
  const supervisor = startSupervisor(project, {
    args: ['--refresh-before', '1m'],
    command: [process.execPath, sdkChildPath],
    env: { SDK_CHILD_INTERVAL_MS: String(CHILD_INTERVAL_MS) },
  });
  return { project, supervisor, keys: [{ key, writtenAt: process.hrtime.bigint() }] };
}

/** Key ids (masked as the child prints them) the child signed successful calls with, and when. */
function callsByKey(member) {
  const calls = new Map();
  for (const line of member.supervisor.stdout.all) {
    const match = /^CALL ok account=\d+ key=(\S+)$/.exec(line.text);
    if (match && !calls.has(match[1])) calls.set(match[1], line.at);
  }
  return calls;
}

async function runN(sts, n, windowS, log) {
  const members = [];
  for (let i = 0; i < n; i++) members.push(await startOne(sts, i));
  try {
    // Every child has made a successful call through its supervisor's endpoint.
    await Promise.all(members.map((m) => m.supervisor.stdout.next(/^CALL ok /, { timeoutMs: 120_000 })));
    await sleep(1000);
    const pids = members.map((m) => m.supervisor.pid);
    const meter = startCpuMeter(pids);
    const windowStart = performance.now();
    // Rotations: member i at offset i·period/n, then every period, while at least a period is left.
    const rotations = [];
    for (const [i, member] of members.entries()) {
      for (
        let at = (i * ROTATE_EVERY_MS) / n;
        at <= windowS * 1000 - ROTATE_EVERY_MS;
        at += ROTATE_EVERY_MS
      ) {
        rotations.push({ at, member });
      }
    }
    rotations.sort((a, b) => a.at - b.at);
    const rssPeakMb = new Map(pids.map((pid) => [pid, 0]));
    const sampleRss = () => {
      for (const pid of pids)
        rssPeakMb.set(pid, Math.max(rssPeakMb.get(pid), (memoryKb(pid)?.rssKb ?? 0) / 1024));
    };
    let nextSample = 0;
    for (const rotation of rotations) {
      while (performance.now() - windowStart < rotation.at) {
        await sleep(Math.min(250, rotation.at - (performance.now() - windowStart)));
        if (performance.now() - windowStart >= nextSample) {
          sampleRss();
          nextSample += 1000;
        }
      }
      const key = sts.issueKey({ ttlMs: KEY_TTL_MS });
      const writtenAt = await rotation.member.project.writeCredentials(key);
      rotation.member.keys.push({ key, writtenAt });
    }
    while (performance.now() - windowStart < windowS * 1000) {
      await sleep(250);
      if (performance.now() - windowStart >= nextSample) {
        sampleRss();
        nextSample += 1000;
      }
    }
    const cpu = meter();
    const hwmMb = pids.map((pid) => (memoryKb(pid)?.hwmKb ?? Number.NaN) / 1024);

    let rotationsTotal = 0;
    let missedByChild = 0;
    let missedAtSts = 0;
    const pickUpMs = [];
    for (const member of members) {
      const calls = callsByKey(member);
      for (const { key, writtenAt } of member.keys.slice(1)) {
        rotationsTotal++;
        const usedAt = calls.get(mask(key.accessKeyId));
        if (usedAt === undefined) missedByChild++;
        else pickUpMs.push(Number(usedAt - writtenAt) / 1e6);
        // One request is the supervisor's own verification; the child's calls come on top.
        const okAtSts = sts.requestsBy(key.accessKeyId).filter((r) => r.status === 200).length;
        if (okAtSts < 2) missedAtSts++;
      }
    }
    const errors = members.reduce(
      (sum, m) => sum + m.supervisor.stdout.all.filter((l) => l.text.startsWith('CALL error')).length,
      0,
    );
    const corePercent = pids.map((pid) => cpu.get(pid).corePercent);
    const result = {
      n,
      windowS,
      cpuCorePercentPerSupervisor: summarize(corePercent, { digits: 2, keepSamples: 0 }),
      cpuCorePercentAll: round(
        corePercent.reduce((a, b) => a + b, 0),
        2,
      ),
      peakRssMbPerSupervisor: summarize(hwmMb, { keepSamples: 0 }),
      windowRssMbPerSupervisor: summarize([...rssPeakMb.values()], { keepSamples: 0 }),
      rotations: rotationsTotal,
      missedByChild,
      missedAtSts,
      childCallErrors: errors,
      pickUpMs: pickUpMs.length ? summarize(pickUpMs, { keepSamples: 0 }) : null,
    };
    log(
      `  N=${n}: ${result.cpuCorePercentPerSupervisor.median}% of a core per supervisor (median), RSS ${result.peakRssMbPerSupervisor.median} MB, ${rotationsTotal} rotations, ${missedByChild} missed by the children, ${errors} failed calls`,
    );
    return result;
  } finally {
    await Promise.all(members.map((m) => m.supervisor.stop()));
    await Promise.all(members.map((m) => m.project.cleanup()));
  }
}

export async function run({ sts, quick, log }) {
  const sizes = quick ? [1, 2] : [1, 5, 20];
  const windowS = quick ? 20 : 60;
  const results = [];
  for (const n of sizes) results.push(await runN(sts, n, windowS, log));
  const one = results[0];
  const figures = [];
  for (const r of results.slice(1)) {
    figures.push({
      name: `CPU per supervisor, N=${r.n}`,
      unit: '% of a core',
      subject: { label: `${r.n} supervisors`, ...r.cpuCorePercentPerSupervisor },
      baseline: { label: '1 supervisor', ...one.cpuCorePercentPerSupervisor },
      ratio: ratio(r.cpuCorePercentPerSupervisor.median, one.cpuCorePercentPerSupervisor.median),
      ratioOf: 'subject / baseline (medians)',
      goal: null,
      runs: `${r.n} × ${r.windowS} s`,
    });
    figures.push({
      name: `Peak RSS per supervisor, N=${r.n}`,
      unit: 'MB',
      subject: { label: `${r.n} supervisors`, ...r.peakRssMbPerSupervisor },
      baseline: { label: '1 supervisor', ...one.peakRssMbPerSupervisor },
      ratio: ratio(r.peakRssMbPerSupervisor.median, one.peakRssMbPerSupervisor.median),
      ratioOf: 'subject / baseline (medians)',
      goal: null,
      runs: `${r.n} × ${r.windowS} s`,
    });
  }
  for (const r of results) {
    figures.push({
      name: `Rotations missed, N=${r.n}`,
      unit: 'rotations',
      subject: { label: `${r.n} supervisors`, value: `${r.missedByChild} of ${r.rotations}` },
      baseline: null,
      ratio: null,
      goal: { text: 'none missed', met: r.missedByChild === 0 && r.missedAtSts === 0 },
      report: 'value',
      runs: `${r.n} × ${r.windowS} s`,
    });
  }
  return {
    id,
    title,
    figures,
    details: {
      sizes,
      windowS,
      rotateEveryMs: ROTATE_EVERY_MS,
      childIntervalMs: CHILD_INTERVAL_MS,
      keyTtlMs: KEY_TTL_MS,
      results,
    },
    notes: [
      `Scaled down to fit the time budget: each credentials file is rewritten every ${ROTATE_EVERY_MS / 1000} s (not every minute), for ${windowS} s per N; keys live ${KEY_TTL_MS / 60_000} min so the child's SDK asks the endpoint on every call (with hour-long keys it would keep a key for the endpoint's 60 s lease, longer than a 10 s rotation, by design).`,
      `A rotation counts as missed when the child never signed a successful STS call with the new key (the fake STS must also have answered that key at least twice: the supervisor's verification and the child). Pick-up time (file written → first successful child call with the key) is mostly the child's ${CHILD_INTERVAL_MS / 1000} s call interval: ${results.map((r) => `N=${r.n} median ${r.pickUpMs?.median ?? 'n/a'} ms`).join(', ')}.`,
      `All supervisors together used ${results.map((r) => `${r.cpuCorePercentAll}% (N=${r.n})`).join(', ')} of one core; the machine has 2 cores shared with the ${results.at(-1).n} SDK children and the fake STS.`,
    ],
  };
}
