/**
 * Single-key commands on an interactive terminal: `r` reload, `s` status, `q` quit. Raw mode delivers
 * keys without Enter but also turns Ctrl+C into a plain \x03 byte instead of SIGINT, so that byte is
 * handed to `onInterrupt`. Not a TTY (CI, a script, tmux detached): nothing is read, nothing blocks.
 */
import type { EventEmitter } from 'node:events';
import { isAskingOn } from './terminal-question.js';

export interface KeyInput extends EventEmitter {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface KeyHandlers {
  onReload(): void;
  onStatus(): void;
  onQuit(): void;
  onInterrupt(): void;
  /** `l`: log in to SSO now (the answer `--sso-login prompt` asks for). */
  onLogin?(): void;
}

const CTRL_C = '\x03';
const ESC = '\x1b';

/** Starts reading keys when `stdin` is a TTY. Returns a dispose function that restores the terminal. */
export function registerKeys(options: { stdin: KeyInput } & KeyHandlers): () => void {
  const { stdin } = options;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return () => {};
  const wasRaw = stdin.isRaw ?? false;
  const onData = (chunk: Buffer | string) => {
    const text = chunk.toString();
    // A question is open (an MFA code): its keys are the answer. Only Ctrl+C still means stop.
    if (isAskingOn(stdin)) {
      if (text.includes(CTRL_C)) options.onInterrupt();
      return;
    }
    handleChunk(text, options);
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    stdin.off('data', onData);
    stdin.setRawMode?.(wasRaw);
    // Paused again so the supervisor's event loop can end once everything else is done.
    stdin.pause();
  };
}

function handleChunk(chunk: string, handlers: KeyHandlers): void {
  // Arrow and function keys arrive as one escape sequence (`\x1b[A`, `\x1bOQ`): their letters are not
  // commands, F2 must not quit.
  if (chunk.startsWith(ESC)) return;
  for (const key of chunk) {
    switch (key) {
      case CTRL_C:
        handlers.onInterrupt();
        break;
      case 'r':
      case 'R':
        handlers.onReload();
        break;
      case 's':
      case 'S':
        handlers.onStatus();
        break;
      case 'q':
      case 'Q':
        handlers.onQuit();
        break;
      case 'l':
      case 'L':
        handlers.onLogin?.();
        break;
    }
  }
}

/** The hint line printed under the status line on an interactive terminal. */
// With the `[cred-supervisor] ` prefix it must stay within 80 columns, or it wraps in a default pane.
export const KEYS_HINT = 'keys: r reload · s status · q quit · Ctrl+C stop (2nd: force)';
