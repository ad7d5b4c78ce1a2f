/** `cred-supervisor status`: ask the supervisor of this directory over its control socket. */
import { runStatusCommand, type StatusFormat } from '../../control/status-command.js';
import { statusSegmentPath } from '../../control/status-segment.js';
import type { CliIo } from '../cli-io.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { supervisorStateDir } from './supervisor-dir.js';

export interface StatusFlags {
  json?: boolean;
  format?: 'text' | 'tmux' | 'tmux-ascii';
  stateDir?: string;
  segmentFile?: boolean;
}

export async function runStatus(flags: StatusFlags, io: CliIo): Promise<number> {
  const format = statusFormat(flags);
  let stateDir: string;
  try {
    stateDir = await supervisorStateDir(flags, io.cwd, io);
  } catch (error) {
    // tmux shows only stdout: a marker there says why the segment is missing; stderr has the detail.
    if (error instanceof UsageError && format === 'tmux') io.stdout.write('⚠ config?\n');
    if (error instanceof UsageError && format === 'tmux-ascii') io.stdout.write('!! config?\n');
    throw error;
  }
  if (flags.segmentFile) {
    io.stdout.write(`${statusSegmentPath(stateDir, format === 'tmux-ascii' ? 'tmux-ascii' : 'tmux')}\n`);
    return ExitCode.ok;
  }
  const result = await runStatusCommand(stateDir, format);
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr);
  return result.exitCode;
}

function statusFormat(flags: StatusFlags): StatusFormat {
  if (flags.json) return 'json';
  if (flags.format === 'tmux' || flags.format === 'tmux-ascii') return flags.format;
  return 'human';
}
