/** `cred-supervisor reload`: the supervisor re-reads and verifies credentials, and says what came of it. */
import { requestReload } from '../../control/control-client.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { reportControlFailure, supervisorStateDir } from './supervisor-dir.js';

export interface ReloadFlags {
  stateDir?: string;
}

export async function runReload(flags: ReloadFlags, io: CliIo): Promise<number> {
  const stateDir = await supervisorStateDir(flags, io.cwd, io);
  try {
    const { message } = await requestReload(stateDir);
    io.stdout.write(`${message}\n`);
    return ExitCode.ok;
  } catch (error) {
    return reportControlFailure(error, io, 'reload');
  }
}
