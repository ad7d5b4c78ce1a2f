import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';

const EXAMPLES = `
Runs a local STS and a fake child on 127.0.0.1 and walks through expiry, the prompt and the restart.
No AWS account or network access is needed.

Examples:
  $ cred-supervisor demo`;

export function demoCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('demo')
    .description('the whole loop on this machine, no AWS account needed')
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      const { runDemo, DEFAULT_DEMO_TIMING, FAST_DEMO_TIMING } = await import('../../demo/run-demo.js');
      const timing = io.env.CRED_SUPERVISOR_DEMO_SPEED === 'fast' ? FAST_DEMO_TIMING : DEFAULT_DEMO_TIMING;
      const stream = (s: CliIo['stdout']) =>
        s as unknown as import('../../supervisor/supervisor.js').TerminalStream;
      finish(
        await runDemo({ stdout: stream(io.stdout), stderr: stream(io.stderr), signals: process }, timing),
      );
    });
}
