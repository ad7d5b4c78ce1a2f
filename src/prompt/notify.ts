/**
 * Getting the person's attention when credentials are needed: the terminal bell, tmux's message line,
 * and the user's own --notify-command. Each channel is best effort: a failure is reported to
 * `onError`, never thrown, because a missing notification must not take the supervisor down.
 */
import { spawn } from 'node:child_process';

export const NOTIFY_MESSAGE_ENV = 'CRED_SUPERVISOR_MESSAGE';
export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;

// A notification hook has no business with AWS secrets the supervisor's own environment may hold.
const SECRET_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
];

export type TmuxRunner = (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
) => Promise<void>;
export type CommandRunner = (command: string, env: NodeJS.ProcessEnv, timeoutMs: number) => Promise<void>;

export interface NotifyOptions {
  /** Where the bell goes (the supervisor's terminal stream); rung only when it is a TTY. */
  terminal?: { isTTY?: boolean; write(chunk: string): unknown };
  /** For $TMUX; default process.env. */
  env?: NodeJS.ProcessEnv;
  notifyCommand?: string;
  timeoutMs?: number;
  runTmux?: TmuxRunner;
  runCommand?: CommandRunner;
  onError?: (channel: 'tmux' | 'command', error: Error) => void;
}

export interface NotifyReport {
  bell: boolean;
  tmux: 'sent' | 'failed' | 'skipped';
  command: 'ran' | 'failed' | 'skipped';
}

export async function notify(message: string, options: NotifyOptions = {}): Promise<NotifyReport> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  const line = oneLine(message);
  const bell = ringBell(options.terminal);
  const [tmux, command] = await Promise.all([
    env.TMUX
      ? attempt(
          'tmux',
          () => (options.runTmux ?? runTmuxDirectly)(tmuxArgs(line), withoutSecrets(env), timeoutMs),
          options,
        )
      : ('skipped' as const),
    options.notifyCommand
      ? attempt(
          'command',
          () =>
            (options.runCommand ?? runShellInGroup)(options.notifyCommand!, commandEnv(env, line), timeoutMs),
          options,
        )
      : ('skipped' as const),
  ]);
  return { bell, tmux: tmux === 'ok' ? 'sent' : tmux, command: command === 'ok' ? 'ran' : command };
}

/** `tmux display-message` treats its text as a format: `#` must be doubled, `--` guards a leading `-`. */
export function tmuxArgs(message: string): string[] {
  return ['display-message', '--', message.replaceAll('#', '##')];
}

/** The environment of --notify-command: the message in a variable (never in argv), no AWS secrets. */
export function commandEnv(env: NodeJS.ProcessEnv, message: string): NodeJS.ProcessEnv {
  return { ...withoutSecrets(env), [NOTIFY_MESSAGE_ENV]: message };
}

function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const name of SECRET_ENV) delete clean[name];
  return clean;
}

function ringBell(terminal: NotifyOptions['terminal']): boolean {
  if (!terminal?.isTTY) return false;
  try {
    terminal.write('\x07');
    return true;
  } catch {
    return false; // the terminal went away
  }
}

async function attempt(
  channel: 'tmux' | 'command',
  run: () => Promise<void>,
  options: NotifyOptions,
): Promise<'ok' | 'failed'> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    options.onError?.(channel, error instanceof Error ? error : new Error(String(error)));
    return 'failed';
  }
}

// Control characters would break tmux's status line and some notifiers; one line is enough.
function oneLine(message: string): string {
  return message.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
}

// No shell: the message is one argument, whatever it contains. $TMUX in `env` names the server.
const runTmuxDirectly: TmuxRunner = (args, env, timeoutMs) =>
  runQuietly({ file: 'tmux', args, env, timeoutMs, what: 'tmux', group: false });

// The user wrote the command for their shell (pipes, quotes), so a shell runs it, in its own process
// group: at the timeout the whole group is killed, since a grandchild (`sh -c 'sleep 30'`) would
// otherwise keep the pipes open and the wait going. Its output is not shown, so it cannot interleave
// with the child's; stderr is kept for the error report.
const runShellInGroup: CommandRunner = (command, env, timeoutMs) =>
  runQuietly({
    file: '/bin/sh',
    args: ['-c', command],
    env,
    timeoutMs,
    what: '--notify-command',
    group: true,
  });

/** Enough of a failing notifier's stderr to say why, bounded so a chatty one cannot fill memory. */
const MAX_STDERR_BYTES = 4096;

interface QuietRun {
  file: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** How the error message names it. */
  what: string;
  /** Own process group, killed whole at the timeout. */
  group: boolean;
}

/**
 * Runs a notifier with node:child_process, output ignored but stderr kept for the error. Resolves on
 * exit 0; rejects with a message for everything else: it could not start (ENOENT, EMFILE, EAGAIN: an
 * 'error' event or a throw, both caught), a non-zero exit, a signal, the timeout. Never leaves an
 * 'error' event unheard, so a notification can never take the supervisor down.
 */
function runQuietly(run: QuietRun): Promise<void> {
  return new Promise((resolve, reject) => {
    let subprocess: ReturnType<typeof spawn>;
    try {
      subprocess = spawn(run.file, [...run.args], {
        env: run.env,
        detached: run.group,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      reject(new Error(`${run.what} could not start: ${describe(error)}`));
      return;
    }
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    subprocess.stderr?.on('error', () => {});
    subprocess.stderr?.on('data', (chunk: Buffer) => {
      if (stderrBytes >= MAX_STDERR_BYTES) return;
      stderr.push(chunk.subarray(0, MAX_STDERR_BYTES - stderrBytes));
      stderrBytes += chunk.length;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (run.group && subprocess.pid !== undefined) killGroup(subprocess.pid);
      else subprocess.kill('SIGKILL');
      // A process that left the group may still hold stderr: stop waiting for it, only for the exit.
      subprocess.stderr?.destroy();
    }, run.timeoutMs);
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    // Also the place where a failed kill() reports: kept attached for the whole run.
    subprocess.on('error', (error) => settle(new Error(`${run.what} could not start: ${describe(error)}`)));
    subprocess.once('close', (code, signal) => {
      if (timedOut)
        return settle(new Error(`${run.what} timed out after ${run.timeoutMs} ms and was killed`));
      if (code === 0) return settle();
      const said = Buffer.concat(stderr).toString('utf8').trim();
      const how = code === null ? `was killed by ${signal}` : `failed with exit code ${code}`;
      settle(new Error(`${run.what} ${how}${said ? `: ${said}` : ''}`));
    });
  });
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
