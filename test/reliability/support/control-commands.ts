/** `cred-supervisor status --json` and `cred-supervisor stop` as a person runs them, next to a running `watch`. */
import type { CliRun } from '../../support/built-cli.js';
import type { Sandbox } from '../../support/sandbox.js';

/** Everything `status --json` printed (stdout and stderr) and its exit code. */
export function statusJsonRun(sandbox: Sandbox): Promise<CliRun> {
  return sandbox.run(['status', '--json']);
}

/** `cred-supervisor stop`: asks the supervisor to stop and waits until it has gone. */
export function stopRun(sandbox: Sandbox): Promise<CliRun> {
  return sandbox.run(['stop']);
}
