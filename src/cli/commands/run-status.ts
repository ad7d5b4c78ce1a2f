/** `cred-supervisor status`: ask the supervisor of this directory over its control socket. */
import { runStatusCommand, type StatusFormat } from '../../control/status-command.js';
import type { CliIo } from '../cli-io.js';
import type { StatusFlags } from './status.js';
import { supervisorStateDir } from './supervisor-dir.js';

export async function runStatus(flags: StatusFlags, io: CliIo): Promise<number> {
  const format = statusFormat(flags);
  const stateDir = await supervisorStateDir(flags, io.cwd, io);
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
