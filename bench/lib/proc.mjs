/**
 * What the kernel says about a process (Linux /proc): CPU time, resident memory, parent and group.
 * Benchmarks sample these from outside, so the measured process runs unmodified.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond;

/** `getconf CLK_TCK`: the unit of utime/stime in /proc/<pid>/stat (100 on every Linux we know). */
export function clockTicksPerSecond() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * Parses /proc/<pid>/stat. The command name sits in parentheses and may itself contain spaces or
 * parentheses, so the fields are counted from the last `)`.
 */
export function parseStat(text) {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ") ": field 3 (state) onwards; index 0 here is field 3.
  const fields = text.slice(close + 2).split(' ');
  const at = (field) => Number(fields[field - 3]);
  return {
    state: fields[0],
    ppid: at(4),
    pgid: at(5),
    utimeTicks: at(14),
    stimeTicks: at(15),
    startTicks: at(22),
  };
}

export function readStat(pid) {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** CPU seconds the process has used so far (user + system), or undefined once it is gone. */
export function cpuSeconds(pid) {
  const stat = readStat(pid);
  if (!stat) return undefined;
  return (stat.utimeTicks + stat.stimeTicks) / clockTicksPerSecond();
}

/** `{ rssKb, hwmKb }` from /proc/<pid>/status: resident now, and the peak (VmHWM) since start. */
export function memoryKb(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  // RssFile: pages of the node binary (code, ICU data) and other files; RssAnon: the V8 heap, malloc.
  return {
    rssKb: field('VmRSS'),
    hwmKb: field('VmHWM'),
    rssFileKb: field('RssFile'),
    rssAnonKb: field('RssAnon'),
  };
}

/** Every process as `{ pid, ...parseStat }`; processes that vanish mid-scan are skipped. */
export function listProcesses() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) out.push({ pid: Number(name), ...stat });
  }
  return out;
}

/** The command line of a process (arguments joined by spaces), or '' once it is gone. */
export function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Direct children of `pid`, each with its command line. */
export function childrenOf(pid) {
  return listProcesses()
    .filter((p) => p.ppid === pid)
    .map((p) => ({ ...p, command: commandLine(p.pid) }));
}

/**
 * True when no living process is left in the group. `kill(-pgid, 0)` still succeeds while exited
 * members wait to be reaped, so zombies are looked up and do not count (they cannot run or write).
 * `members`, when the caller knows the group's only members, spares a scan of all of /proc (which
 * would cost the measured processes CPU when polled often).
 */
export function isGroupGone(pgid, members) {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if (error.code === 'ESRCH') return true;
    if (error.code !== 'EPERM') throw error;
  }
  const living = (p) => p !== undefined && p.state !== 'Z';
  if (members) return !members.some((pid) => living(readStat(pid)));
  return !listProcesses().some((p) => p.pgid === pgid && living(p));
}

/**
 * Starts a CPU meter over `pids`: call the returned function later for each pid's CPU seconds used
 * in between and its share of one core. A pid that died meanwhile reports null.
 */
export function startCpuMeter(pids) {
  const started = process.hrtime.bigint();
  const before = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
  return () => {
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const result = new Map();
    for (const pid of pids) {
      const end = cpuSeconds(pid);
      const start = before.get(pid);
      const used = end === undefined || start === undefined ? null : end - start;
      result.set(pid, { cpuS: used, corePercent: used === null ? null : (100 * used) / wallS, wallS });
    }
    return result;
  };
}
