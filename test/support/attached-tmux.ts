/**
 * A private tmux server with the person's session `dev` attached on a real terminal (util-linux
 * `script`), and a `tmux` first on PATH for the processes started in it that records every call (and
 * tmux's refusals) before handing over to the real one: what a detached supervisor asks tmux to do.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { onTestFinished } from 'vitest';
import { shellLine, type TmuxServer, tmuxServer, until } from '../background/tmux-pane.js';
import { tempDir } from '../credentials/support/temp-dir.js';
import { CLI } from './watch-session.js';

export const CAN_ATTACH = (() => {
  try {
    return execFileSync('script', ['--version'], { encoding: 'utf8' }).includes('util-linux');
  } catch {
    return false;
  }
})();

export interface AttachedTmux {
  server: TmuxServer;
  /** The environment of processes started in the server: the recording `tmux` first on PATH. */
  env: NodeJS.ProcessEnv;
  root: string;
  /** What the attached client's terminal received, escape sequences removed. */
  screen(): string;
  /** Keys typed on the attached client's terminal. */
  type(keys: string): void;
  /** The recorded tmux calls (argv joined by spaces), and what tmux refused. */
  calls(): Promise<string[]>;
  refusals(): Promise<string>;
}

/**
 * `cred-supervisor watch ARGS -- <an idle node>` in a new window of session `session` (created when
 * missing), working in `dir`, detached: its stdin is /dev/null, so it has no terminal to ask on.
 */
export async function startDetachedWatch(
  tmux: AttachedTmux,
  session: string,
  dir: string,
  args: readonly string[],
): Promise<void> {
  const watch = [
    process.execPath,
    CLI,
    'watch',
    ...args,
    '--',
    process.execPath,
    '-e',
    'setInterval(() => {}, 1000)',
  ];
  const exists = (await tmux.server.tmux(['has-session', '-t', session])).exitCode === 0;
  const where = exists ? ['new-window', '-d', '-t', `${session}:`] : ['new-session', '-d', '-s', session];
  const started = await tmux.server.tmux([...where, '-c', dir, `${shellLine(watch)} < /dev/null; sleep 60`]);
  if (started.exitCode !== 0) throw new Error(`tmux refused to start the watch: ${String(started.stderr)}`);
  // Stopped (and gone) before the tmux server and the folders are removed: it writes its state dir
  // on the way out.
  onTestFinished(async () => {
    await execa(process.execPath, [CLI, 'stop'], {
      cwd: dir,
      env: tmux.env,
      extendEnv: false,
      reject: false,
      timeout: 20_000,
    });
  });
}

export async function attachedTmux(baseEnv: NodeJS.ProcessEnv): Promise<AttachedTmux> {
  const realTmux = execFileSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).trim();
  const root = await tempDir('cred-supervisor-attached-tmux-');
  const bin = path.join(root, 'bin');
  await mkdir(bin);
  const callsFile = path.join(root, 'tmux-calls');
  await writeFile(callsFile, '');
  await writeFile(
    path.join(bin, 'tmux'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${callsFile}'\nexec '${realTmux}' "$@" 2>> '${callsFile}.err'\n`,
  );
  await chmod(path.join(bin, 'tmux'), 0o755);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    PATH: `${bin}${path.delimiter}${baseEnv.PATH}`,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
  };
  const server = tmuxServer(env);
  onTestFinished(() => server.kill());
  const home = path.join(root, 'home');
  await mkdir(home);
  await server.start('sh', home, 120, 40);
  const socket = String((await server.tmux(['display-message', '-p', '#{socket_path}'])).stdout);
  const client = execa('script', ['-qfc', `'${realTmux}' -S '${socket}' attach -t dev`, '/dev/null'], {
    env: { ...env, COLUMNS: '120', LINES: '40' },
    extendEnv: false,
    reject: false,
    stdin: 'pipe',
  });
  onTestFinished(() => {
    client.kill('SIGKILL');
  });
  let drawn = '';
  client.stdout?.on('data', (chunk: Buffer) => {
    drawn += chunk.toString('utf8');
  });
  await until('the attached client', async () => {
    const listed = String((await server.tmux(['list-clients', '-F', '#{client_name}'])).stdout).trim();
    return listed === '' ? undefined : listed;
  });
  return {
    server,
    env,
    root,
    screen: () => stripAnsi(drawn),
    type: (keys) => client.stdin?.write(keys),
    calls: async () => (await readFile(callsFile, 'utf8')).split('\n').filter(Boolean),
    refusals: () => readFile(`${callsFile}.err`, 'utf8').catch(() => ''),
  };
}
