/** `cred-supervisor reload`: the supervisor re-reads and verifies credentials, and says what came of it. */
import { requestReload } from '../../control/control-client.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { reportControlFailure, supervisorStateDir } from './supervisor-dir.js';

export interface ReloadFlags {
  stateDir?: string;
  /** `--accept-account ID`: confirm switching the command to this account. */
  acceptAccount?: string;
}

export async function runReload(flags: ReloadFlags, io: CliIo): Promise<number> {
  const stateDir = await supervisorStateDir(flags, io.cwd, io);
  try {
    const accept = flags.acceptAccount ? { acceptAccount: flags.acceptAccount } : {};
    const { message } = await requestReload(stateDir, accept);
    io.stdout.write(`${message}\n`);
    return ExitCode.ok;
  } catch (error) {
    return reportControlFailure(error, io, 'reload');
  }
}
