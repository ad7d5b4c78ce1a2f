/** `cred-supervisor mfa [CODE]`: hand an MFA code to the running supervisor over its control socket. */
import { createInterface } from 'node:readline/promises';
import { requestMfaAnswer } from '../../control/control-client.js';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../exit-codes.js';
import { reportControlFailure, supervisorStateDir } from './supervisor-dir.js';

/** The flags `mfa` declares (cli/commands/mfa.ts). */
export interface MfaFlags {
  stateDir?: string;
}

async function codeFromStdin(io: CliIo): Promise<string> {
  if (!io.stdin) return '';
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    if (io.stdin.isTTY) io.stderr.write('MFA code: ');
    for await (const line of rl) return line.trim();
    return '';
  } finally {
    rl.close();
  }
}

export async function runMfa(code: string | undefined, flags: MfaFlags, io: CliIo): Promise<number> {
  const stateDir = await supervisorStateDir(flags, io.cwd);
  const answer = code ?? (await codeFromStdin(io));
  try {
    const { message } = await requestMfaAnswer(stateDir, answer);
    io.stdout.write(`${message}\n`);
    return ExitCode.ok;
  } catch (error) {
    return reportControlFailure(error, io, 'mfa');
  }
}
