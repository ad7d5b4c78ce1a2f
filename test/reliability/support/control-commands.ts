/**
 * `cred-supervisor status --json` and `cred-supervisor stop` as a person runs them, next to a running
 * `watch`. Until those two commands are wired into the CLI (they print "not implemented yet"), the same
 * code they will run is called in-process: `runStatusCommand` prints exactly what `status` prints, and
 * `requestStop` sends exactly what `stop` sends.
 */
import path from 'node:path';
import { requestStop } from '../../../src/control/control-client.js';
import { runStatusCommand } from '../../../src/control/status-command.js';
import type { CliRun, Sandbox } from '../../cli/built-cli.js';

const NOT_IMPLEMENTED = /is not implemented yet/;

function stateDirOf(sandbox: Sandbox): string {
  return path.join(sandbox.dir, '.cred-supervisor');
}

/** Everything `status --json` printed (stdout and stderr) and its exit code. */
export async function statusJsonRun(sandbox: Sandbox): Promise<CliRun> {
  const run = await sandbox.run(['status', '--json']);
  if (!NOT_IMPLEMENTED.test(run.stderr)) return run;
  const { stdout, stderr, exitCode } = await runStatusCommand(stateDirOf(sandbox), 'json');
  return { stdout, stderr, exitCode };
}

/** `cred-supervisor stop`: asks the supervisor to stop and waits for it to say it did. */
export async function stopRun(sandbox: Sandbox): Promise<CliRun> {
  const run = await sandbox.run(['stop']);
  if (!NOT_IMPLEMENTED.test(run.stderr)) return run;
  const result = await requestStop(stateDirOf(sandbox));
  return { stdout: `${result.message}\n`, stderr: '', exitCode: 0 };
}
