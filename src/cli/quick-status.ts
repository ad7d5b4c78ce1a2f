/**
 * `status --format tmux` (and `--segment-file`) answered before commander, zod, the config parser or
 * the control protocol are loaded: tmux runs it every few seconds, so it only reads two small files.
 * It answers only what it can answer exactly as the full command would; anything else (another
 * format, --help, a project with a config file that may move the state dir, no segment or one whose
 * supervisor is gone) returns undefined and the full command runs.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mayHaveProjectConfig } from '../config/config-file-names.js';
import { DEFAULT_STATE_DIR } from '../config/options.js';
import { STATE_RECORD_FILE } from '../control/state-record-file.js';
import { type SegmentStyle, statusSegmentPath } from '../control/status-segment.js';
import { isRecordedProcessRunning } from '../process/liveness.js';

interface QuickIo {
  cwd: string;
  /** Writes the answer (main.ts: straight to stdout's file descriptor). */
  write(text: string): void;
}

interface QuickStatusFlags {
  format?: SegmentStyle;
  stateDir?: string;
  segmentFile?: boolean;
}

/** The exit code, or undefined when the full `status` command must answer. */
export function quickStatus(args: readonly string[], io: QuickIo): number | undefined {
  const flags = parseFlags(args);
  if (flags === undefined) return undefined;
  const stateDir = findStateDir(flags, io.cwd);
  if (stateDir === undefined) return undefined;
  if (flags.segmentFile) {
    io.write(`${statusSegmentPath(stateDir, flags.format ?? 'tmux')}\n`);
    return 0;
  }
  const format = flags.format;
  if (format === undefined) return undefined;
  let segment: string;
  try {
    segment = readFileSync(statusSegmentPath(stateDir, format), 'utf8');
  } catch {
    return undefined;
  }
  // A segment left by a supervisor that was SIGKILLed says nothing: the full command tells.
  if (!recordedSupervisorRuns(stateDir)) return undefined;
  io.write(segment);
  return 0;
}

function parseFlags(args: readonly string[]): QuickStatusFlags | undefined {
  const flags: QuickStatusFlags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? args[++i];
    switch (name) {
      case '--format': {
        const format = value();
        if (format !== 'tmux' && format !== 'tmux-ascii') return undefined;
        flags.format = format;
        break;
      }
      case '--state-dir': {
        const dir = value();
        // Empty or missing: the full command's parser words the usage error.
        if (dir === undefined || dir.trim() === '') return undefined;
        flags.stateDir = dir;
        break;
      }
      case '--segment-file':
        if (inline !== undefined) return undefined;
        flags.segmentFile = true;
        break;
      default:
        return undefined;
    }
  }
  return flags;
}

/**
 * `--state-dir`, else the default when the project has no configuration at all. A config file (or a
 * package.json that mentions the key) may set `stateDir`: only the real config loader decides that.
 */
function findStateDir(flags: QuickStatusFlags, cwd: string): string | undefined {
  if (flags.stateDir !== undefined) return resolve(cwd, flags.stateDir);
  return mayHaveProjectConfig(cwd) ? undefined : resolve(cwd, DEFAULT_STATE_DIR);
}

/** The supervisor named in the state record is alive (the same process, not a reused pid). */
function recordedSupervisorRuns(stateDir: string): boolean {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(readFileSync(join(stateDir, STATE_RECORD_FILE), 'utf8'));
  } catch {
    return false;
  }
  const { pid, pidStartTicks, bootId, bootTime } = record;
  if (typeof pid !== 'number' || typeof bootTime !== 'number') return false;
  return isRecordedProcessRunning(pid, {
    boot: { bootId: typeof bootId === 'string' ? bootId : null, bootTime },
    startTime: typeof pidStartTicks === 'string' ? pidStartTicks : null,
  });
}
