/**
 * The suite's one CLI runner: the real built executable (`dist/cli/main.cjs`, so `npm run build` first),
 * run to completion with exactly the environment given (nothing inherited), stdin not a terminal.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.cjs', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`Expected the built CLI at ${CLI}; run \`npm run build\` first.`);
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `cred-supervisor <args>` in `cwd` with `env` as its whole environment; never rejects. */
export async function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  const result = await execa(process.execPath, [CLI, ...args], {
    cwd,
    env,
    extendEnv: false,
    reject: false,
    timeout: 20_000,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
