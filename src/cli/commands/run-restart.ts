/** `cred-supervisor restart NAME`: one process of a Procfile restarted alone; the others keep running. */
import { requestRestart } from '../../control/control-client.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { reportControlFailure, supervisorStateDir } from './supervisor-dir.js';

export interface RestartFlags {
  stateDir?: string;
}

export async function runRestart(name: string, flags: RestartFlags, io: CliIo): Promise<number> {
  const stateDir = await supervisorStateDir(flags, io.cwd, io);
  try {
    const { message } = await requestRestart(stateDir, name);
    io.stdout.write(`${message}\n`);
    return ExitCode.ok;
  } catch (error) {
    return reportControlFailure(error, io, 'restart');
  }
}
