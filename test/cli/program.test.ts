/**
 * What commander hands each command's action: the contract the lead's watch/exec bodies rely on.
 * The placeholder bodies are swapped for a recorder; the option and argument definitions are real.
 */
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { createProgram } from '../../src/cli/program.js';

function parse(argv: string[]): Promise<unknown[]> {
  const io: CliIo = { env: {}, cwd: '/tmp', stdout: { write() {} }, stderr: { write() {} } };
  const program = createProgram(io, () => {});
  return new Promise((resolve, reject) => {
    for (const command of program.commands) {
      command.action((...args: unknown[]) => resolve(args.slice(0, -1)));
    }
    program.parseAsync(argv, { from: 'user' }).catch(reject);
  });
}

describe('createProgram: what actions receive', () => {
  it('watch: the command after --, untouched, and the shared flags parsed', async () => {
    await expect(
      parse([
        'watch',
        '--profile',
        'dev',
        '--refresh-before',
        '15m',
        '--',
        'cdk',
        'watch',
        '--hotswap-fallback',
      ]),
    ).resolves.toEqual([['cdk', 'watch', '--hotswap-fallback'], { profile: 'dev', refreshBefore: '15m' }]);
  });

  it('watch: no command means an empty list (the default command is applied later)', async () => {
    await expect(parse(['watch'])).resolves.toEqual([[], {}]);
  });

  it('watch: options after the command belong to the command, even without --', async () => {
    await expect(parse(['watch', '--stop-grace', '2s', 'cdk', 'watch', '--profile', 'x'])).resolves.toEqual([
      ['cdk', 'watch', '--profile', 'x'],
      { stopGrace: '2s' },
    ]);
  });

  it('exec: the command and its own flags', async () => {
    await expect(
      parse(['exec', '--region', 'eu-west-1', '--', 'aws', 's3', 'ls', '--recursive']),
    ).resolves.toEqual([['aws', 's3', 'ls', '--recursive'], { region: 'eu-west-1' }]);
  });

  it('check and status: their flags', async () => {
    await expect(parse(['check', '--json', '--expect-account', '123456789012'])).resolves.toEqual([
      { json: true, expectAccount: '123456789012' },
    ]);
    await expect(parse(['status', '--format', 'tmux', '--state-dir', 'x'])).resolves.toEqual([
      { format: 'tmux', stateDir: 'x' },
    ]);
  });
});
