/**
 * Reaching the person from a supervisor that runs detached inside tmux (a pane nobody looks at, no
 * terminal of its own to read keys from): a `display-popup` in the tmux client they are using now, for
 * an SSO login's URL and code; a `command-prompt` for an MFA code, whose answer goes back like
 * `cred-supervisor mfa`. When the popup cannot open (no client attached, an old tmux) the text goes
 * to `display-message` instead. Best effort throughout: a failure is returned, never thrown.
 */
import { shellQuote } from './shell-quote.js';

export type TmuxAttention = 'popup' | 'prompt' | 'message' | 'failed';

export interface TmuxAttentionOptions {
  /** Holds $TMUX (which server); AWS secrets are never in it (the caller's notify env). */
  env: NodeJS.ProcessEnv;
  /** How long a tmux command may take before it counts as failed. */
  timeoutMs?: number;
  /** Why tmux refused (its stderr), for the log. */
  onError?: (text: string) => void;
}

/** Where the person is: the supervisor runs inside tmux and has no terminal to ask on. */
export function shouldUseTmux(env: NodeJS.ProcessEnv, interactive: boolean): boolean {
  return !interactive && Boolean(env.TMUX);
}

async function tmux(args: readonly string[], options: TmuxAttentionOptions) {
  // Imported on first use: a supervisor outside tmux never needs execa resident.
  const { execa } = await import('execa');
  return execa('tmux', args, {
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 5_000,
  });
}

export interface TmuxClient {
  name: string;
  /** The session it shows (`$3`): a popup must target a pane the client shows, not ours. */
  sessionId: string;
  /** Its terminal's size: a popup must fit inside. */
  width: number;
  height: number;
}

/** The client the person used last (tmux's `client_activity`), or undefined when none is attached. */
export async function currentTmuxClient(options: TmuxAttentionOptions): Promise<TmuxClient | undefined> {
  const format = '#{client_activity} #{client_width} #{client_height} #{session_id} #{client_name}';
  const result = await tmux(['list-clients', '-F', format], options);
  if (result.exitCode !== 0) return undefined;
  let best: (TmuxClient & { activity: number }) | undefined;
  for (const line of String(result.stdout).split('\n')) {
    const match = /^(\d+) (\d+) (\d+) (\$\d+) (.+)$/.exec(line.trim());
    if (!match) continue;
    const activity = Number(match[1]);
    if (!best || activity > best.activity) {
      best = {
        activity,
        width: Number(match[2]),
        height: Number(match[3]),
        sessionId: match[4] as string,
        name: match[5] as string,
      };
    }
  }
  return best && { name: best.name, sessionId: best.sessionId, width: best.width, height: best.height };
}

/** `display-message` treats its text as a format: `#` doubled, one line. */
function messageArgs(client: string | undefined, text: string): string[] {
  const line = text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  return ['display-message', ...(client ? ['-c', client] : []), '--', line.replaceAll('#', '##')];
}

async function fallbackMessage(
  client: string | undefined,
  text: string,
  options: TmuxAttentionOptions,
): Promise<'message' | 'failed'> {
  const result = await tmux(messageArgs(client, text), options);
  return result.exitCode === 0 ? 'message' : 'failed';
}

export const POPUP_TEXT_VARIABLE = 'CRED_SUPERVISOR_POPUP_TEXT';

/** The popup's command: prints the text (from the environment, so no quoting of it) and waits for Enter. */
const POPUP_COMMAND = `printf '%s\\n\\n(Enter closes this; the login goes on without it.)\\n' "$${POPUP_TEXT_VARIABLE}"; read -r _`;

export interface OpenPopup {
  client: string;
  /** Closes it (the login finished); harmless when the person already did. */
  close(): Promise<void>;
}

/**
 * Opens one popup with `text` in the person's current client. Resolves once tmux has it on screen
 * (the popup stays until Enter or `close`), or with the fallback used.
 */
export async function showTmuxPopup(
  title: string,
  text: string,
  options: TmuxAttentionOptions,
): Promise<OpenPopup | Exclude<TmuxAttention, 'popup' | 'prompt'>> {
  const client = await currentTmuxClient(options);
  if (!client) return fallbackMessage(undefined, text, options);
  const lines = text.split('\n');
  // Inside the client's terminal (tmux refuses a larger popup); long lines wrap.
  const width = Math.min(client.width - 2, Math.max(40, ...lines.map((line) => line.length + 4)));
  const wrapped = lines.reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / (width - 2))), 0);
  const height = Math.min(client.height - 2, wrapped + 6);
  // The tmux command that opens a popup waits until it closes: started, not awaited.
  const { execa } = await import('execa');
  const popup = execa(
    'tmux',
    [
      'display-popup',
      '-c',
      client.name,
      '-t',
      client.sessionId,
      '-T',
      ` ${title} `,
      '-w',
      String(width),
      '-h',
      String(height),
      '-e',
      `${POPUP_TEXT_VARIABLE}=${text}`,
      '-E',
      POPUP_COMMAND,
    ],
    { env: options.env, extendEnv: false, reject: false, stdin: 'ignore' },
  );
  const early = await Promise.race([
    popup.then((result) => result),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 300).unref()),
  ]);
  if (early && early.exitCode !== 0) {
    options.onError?.(`tmux display-popup: ${String(early.stderr).trim() || `exit ${early.exitCode}`}`);
    return fallbackMessage(client.name, text, options);
  }
  return {
    client: client.name,
    async close() {
      await tmux(['display-popup', '-C', '-c', client.name, '-t', client.sessionId], options);
      popup.kill();
    },
  };
}

export interface MfaPromptTarget {
  /** The profile and device, for the prompt's text. */
  profile: string;
  mfaSerial: string;
  /** The supervisor's state directory: where `cred-supervisor mfa` finds its control socket. */
  stateDir: string;
  /** How to run this CLI (node and the script the supervisor runs from). */
  cli: readonly string[];
}

/**
 * The command tmux runs with the answer: the code goes through stdin of `cred-supervisor mfa` (out of
 * the process list). tmux puts the typed text where `%1` is; the shell sees it single-quoted.
 */
export function mfaAnswerCommand(target: MfaPromptTarget): string {
  const cli = [...target.cli, 'mfa', '--state-dir', target.stateDir].map(shellQuote).join(' ');
  return `run-shell -b "echo '%1' | ${cli.replaceAll('"', '\\"').replaceAll('$', '\\$')}"`;
}

/** Asks for an MFA code with `command-prompt` in the person's current client. */
export async function askMfaInTmux(
  target: MfaPromptTarget,
  options: TmuxAttentionOptions,
): Promise<TmuxAttention> {
  const client = await currentTmuxClient(options);
  const text = `MFA code for ${target.mfaSerial} (profile ${target.profile}): `;
  if (!client)
    return fallbackMessage(undefined, `cred-supervisor: ${text}run cred-supervisor mfa CODE`, options);
  const result = await tmux(
    [
      // command-prompt names its client with -t (display-popup and display-message use -c).
      'command-prompt',
      '-t',
      client.name,
      '-p',
      text.replaceAll('#', '##'),
      mfaAnswerCommand(target),
    ],
    options,
  );
  return result.exitCode === 0 ? 'prompt' : fallbackMessage(client.name, text, options);
}
