/**
 * Idle footprint: a supervisor with the default schedule (STS probe every minute, endpoint delivery)
 * watching a quiet child, next to a bare `node -e 'setInterval(()=>{},1e9)'` started at the same
 * moment as the floor. Both run through the same window; CPU comes from /proc/<pid>/stat (user +
 * system time) over the window, memory from /proc/<pid>/status (VmHWM: the peak since start,
 * start-up included; VmRSS: sampled every second in the window). The supervisor's watchdog (a `sh`
 * it starts with the child, plus that shell's group-watching subshell) counts with the supervisor in
 * the goal, and is reported on its own line too.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { childrenOf, memoryKb, startCpuMeter } from './lib/proc.mjs';
import { startProcess, startSupervisor, stopProcess, waitFor } from './lib/processes.mjs';
import { createProject } from './lib/project.mjs';
import { ratio, round, summarize } from './lib/stats.mjs';

export const id = 'idle';
export const title = 'Idle footprint';

const QUIET = ['-e', 'setInterval(()=>{},1e9)'];

export async function run({ sts, quick, log }) {
  const windowS = quick ? 10 : 60;
  const sliceS = quick ? 5 : 10;
  const key = sts.issueKey({ ttlMs: 3_600_000 });
  const project = await createProject({ sts, key, name: 'idle' });
  const floor = startProcess(process.execPath, QUIET, { env: project.env, stdio: 'ignore' });
  const supervisor = startSupervisor(project, { command: [process.execPath, ...QUIET] });
  try {
    await supervisor.stderr.next(/\] running\b/);
    const watchdog = await waitFor(
      () => childrenOf(supervisor.pid).find((p) => p.command.includes('watchdog')),
      { what: "the supervisor's watchdog" },
    );
    const guard = await waitFor(() => childrenOf(watchdog.pid).find((p) => p.command.includes('watchdog')), {
      what: "the watchdog's group-watching subshell",
    });
    // Let the start-up's garbage settle before the window opens.
    await sleep(2000);
    const pids = { supervisor: supervisor.pid, watchdog: watchdog.pid, guard: guard.pid, floor: floor.pid };
    const rss = { supervisor: [], watchdog: [], guard: [], floor: [] };
    const slices = { supervisor: [], watchdog: [], guard: [], floor: [] };
    const whole = startCpuMeter(Object.values(pids));
    for (let s = 0; s < windowS / sliceS; s++) {
      const slice = startCpuMeter(Object.values(pids));
      for (let t = 0; t < sliceS; t++) {
        await sleep(1000);
        for (const [name, pid] of Object.entries(pids))
          rss[name].push((memoryKb(pid)?.rssKb ?? Number.NaN) / 1024);
      }
      const used = slice();
      for (const [name, pid] of Object.entries(pids)) slices[name].push(used.get(pid).corePercent);
      log(
        `  slice ${s + 1}/${windowS / sliceS}: supervisor ${round(used.get(pids.supervisor).corePercent, 2)}% of a core, floor ${round(used.get(pids.floor).corePercent, 2)}%`,
      );
    }
    const total = whole();
    const memory = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, memoryKb(pid)]));
    const hwm = Object.fromEntries(Object.entries(memory).map(([name, m]) => [name, m.hwmKb / 1024]));
    // What the resident set is made of at the end of the window, supervisor against floor.
    const split = (name) => ({
      fileMb: round(memory[name].rssFileKb / 1024),
      anonMb: round(memory[name].rssAnonKb / 1024),
    });
    const cpu = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, total.get(pid)]));

    const cpuFigure = (name) => ({
      label: name,
      value: round(cpu[name].corePercent, 3),
      ...summarize(slices[name], { digits: 3 }),
    });
    const supervisorCpu = cpu.supervisor.corePercent;
    const watchdogMb = hwm.watchdog + hwm.guard;
    const watchdogCpu = cpu.watchdog.corePercent + cpu.guard.corePercent;
    const together = hwm.supervisor + watchdogMb;
    const rssRatio = ratio(together, hwm.floor);
    return {
      id,
      title,
      figures: [
        {
          name: 'Peak RSS (VmHWM), supervisor + watchdog',
          unit: 'MB',
          subject: { label: 'supervisor + watchdog', value: round(together) },
          baseline: {
            label: "bare `node -e 'setInterval(()=>{},1e9)'`",
            value: round(hwm.floor),
            ...summarize(rss.floor),
          },
          ratio: rssRatio,
          ratioOf: 'subject VmHWM / baseline VmHWM',
          goal: { text: 'ratio ≤ 1.75', met: rssRatio !== null && rssRatio <= 1.75 },
          report: 'value',
          runs: `1 × ${windowS} s`,
        },
        {
          name: 'Peak RSS (VmHWM), supervisor alone',
          unit: 'MB',
          subject: { label: 'supervisor', value: round(hwm.supervisor), ...summarize(rss.supervisor) },
          baseline: { label: 'bare Node', value: round(hwm.floor) },
          ratio: ratio(hwm.supervisor, hwm.floor),
          ratioOf: 'subject VmHWM / baseline VmHWM',
          goal: null,
          report: 'value',
          runs: `1 × ${windowS} s`,
        },
        {
          name: 'CPU while idle',
          unit: '% of a core',
          subject: cpuFigure('supervisor'),
          baseline: cpuFigure('floor'),
          ratio: ratio(cpu.supervisor.corePercent, cpu.floor.corePercent),
          ratioOf: 'subject / baseline (whole window)',
          goal: { text: '< 0.5% of a core', met: supervisorCpu < 0.5 },
          report: 'value',
          runs: `1 × ${windowS} s`,
        },
        {
          name: 'Watchdog process (extra)',
          unit: 'MB / % of a core',
          subject: {
            label: 'watchdog',
            value: `${round(watchdogMb, 2)} MB, ${round(watchdogCpu, 3)}%`,
          },
          baseline: { label: 'floor', value: `${round(hwm.floor)} MB, ${round(cpu.floor.corePercent, 3)}%` },
          ratio: ratio(watchdogMb, hwm.floor),
          ratioOf: 'watchdog VmHWM / baseline VmHWM',
          goal: null,
          report: 'value',
          runs: `1 × ${windowS} s`,
        },
      ],
      details: {
        windowSeconds: windowS,
        sliceSeconds: sliceS,
        cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([n, c]) => [n, round(c.cpuS, 3)])),
        peakRssMb: Object.fromEntries(Object.entries(hwm).map(([n, v]) => [n, round(v)])),
        residentSplitMb: { supervisor: split('supervisor'), floor: split('floor') },
        sliceCorePercent: Object.fromEntries(
          Object.entries(slices).map(([n, v]) => [n, v.map((x) => round(x, 3))]),
        ),
      },
      notes: [
        `One ${windowS} s window, both processes side by side; CPU spread is over ${sliceS} s slices (the minute's STS probe lands in one of them). /proc CPU times tick at 10 ms, so a slice's figure is ±${round(1 / sliceS, 2)}% of a core.`,
        `At the end of the window the supervisor's resident set is ${split('supervisor').fileMb} MB of file pages (the node binary's code and ICU data; floor: ${split('floor').fileMb} MB) and ${split('supervisor').anonMb} MB anonymous (V8 heap and malloc; floor: ${split('floor').anonMb} MB). \`node bench/run.mjs --only module-memory\` shows what each package adds.`,
        `The watchdog is a \`/bin/sh\` (${round(hwm.watchdog, 2)} MB) with a subshell that notices when the child's group is gone (${round(hwm.guard, 2)} MB), ${round(watchdogCpu, 3)}% of a core together; it was a second Node process of ~40 MB before. Supervisor + watchdog = ${round(together)} MB peak, ${round(rssRatio, 2)}× the floor.`,
      ],
    };
  } finally {
    await supervisor.stop();
    await stopProcess(floor);
    await project.cleanup();
  }
}
