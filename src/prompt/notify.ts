/**
 * Getting the person's attention when credentials are needed: the terminal bell, tmux's message line,
 * and the user's own --notify-command. Each channel is best effort: a failure is reported to
 * `onError`, never thrown, because a missing notification must not take the supervisor down.
 */
import { execa } from 'execa';

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
          () => (options.runTmux ?? runTmuxWithExeca)(tmuxArgs(line), withoutSecrets(env), timeoutMs),
          options,
        )
      : ('skipped' as const),
    options.notifyCommand
      ? attempt(
          'command',
          () =>
            (options.runCommand ?? runShellWithExeca)(
              options.notifyCommand!,
              commandEnv(env, line),
              timeoutMs,
            ),
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
const runTmuxWithExeca: TmuxRunner = async (args, env, timeoutMs) => {
  await execa('tmux', args, {
    env,
    extendEnv: false,
    timeout: timeoutMs,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
  });
};

// The user wrote the command for their shell (pipes, quotes), so a shell runs it, in its own process
// group: at the timeout the whole group is killed, since a grandchild (`sh -c 'sleep 30'`) would
// otherwise keep the pipes open and the wait going. Its output is not shown, so it cannot interleave
// with the child's; stderr is kept for the error report.
const runShellWithExeca: CommandRunner = async (command, env, timeoutMs) => {
  const subprocess = execa(command, {
    shell: true,
    env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(subprocess.pid);
  }, timeoutMs);
  try {
    await subprocess;
  } catch (error) {
    if (timedOut) throw new Error(`--notify-command timed out after ${timeoutMs} ms and was killed`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
};

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
