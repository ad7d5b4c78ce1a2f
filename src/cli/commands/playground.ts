import { Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';

const EXAMPLES = `
Starts a local STS stand-in on 127.0.0.1 and writes credentials it accepts, so check, exec and watch can
be tried in your own project. No AWS account or network access is needed. On a terminal the keys
f/e/v/q issue fresh credentials, expire or revoke them, and quit; otherwise write one of those words
(fresh, expire, revoke, quit) to the control file it names.

Examples:
  $ npx cred-supervisor playground
  $ npx cred-supervisor playground --ttl 5m      # short-lived keys, to see the refresh warning`;

export function playgroundCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('playground')
    .description('a local STS stand-in to try the tool in your own project, no AWS account needed')
    .addOption(new Option('--port <port>', 'port on 127.0.0.1 (default: a free one)'))
    .addOption(new Option('--ttl <duration>', 'lifetime of the credentials it issues').default('1h'))
    .addHelpText('after', EXAMPLES)
    .action(async (options: { port?: string; ttl: string }) => {
      const { parseDuration } = await import('../../config/duration.js');
      const { UsageError } = await import('../errors.js');
      const { runPlayground } = await import('../../demo/playground.js');
      const port = options.port === undefined ? 0 : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`--port must be a port number (0-65535), got \`${options.port}\`.`);
      }
      let ttlMs: number;
      try {
        ttlMs = parseDuration(options.ttl, '--ttl');
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      finish(await runPlayground({ stdout: io.stdout, stdin: io.stdin, signals: process }, { port, ttlMs }));
    });
}
