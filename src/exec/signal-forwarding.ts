/**
 * Passing the signals `cred-supervisor exec` receives on to its command.
 *
 * The command runs in OUR process group (see `foreground-child.ts`), so a key typed in the terminal
 * (Ctrl+C) already reaches it from the terminal itself; what a script or `kill` sends reaches only
 * us. So:
 * - SIGINT is forwarded, except the first one while we are in the terminal's foreground group: that
 *   one was almost surely Ctrl+C, which the command has received already, and a second copy would
 *   look like "Ctrl+C twice" (many tools then skip their cleanup). Later ones are always forwarded,
 *   so a `kill -INT` sent while in the foreground still gets through when repeated.
 * - SIGTERM and SIGHUP are forwarded, and if the command is still running `killAfterMs`
 *   (`--stop-grace`) later it gets SIGKILL: whoever sent them wants us gone, and we must not exit
 *   before the command (its exit code is our answer).
 */
export type ForwardedSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export const FORWARDED_SIGNALS: readonly ForwardedSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export type ForwardAction = 'forward' | 'already-delivered';

export interface ForwardContext {
  /** We are in the terminal's foreground process group right now. */
  foreground: boolean;
  /** How many SIGINTs arrived before this one. */
  sigintsBefore: number;
}

/** Pure: what to do with one arriving signal. */
export function decideForward(signal: ForwardedSignal, context: ForwardContext): ForwardAction {
  if (signal === 'SIGINT' && context.foreground && context.sigintsBefore === 0) return 'already-delivered';
  return 'forward';
}

export type ForwardEvent =
  | { signal: ForwardedSignal; action: ForwardAction }
  /** The command outlived SIGTERM/SIGHUP by `afterMs`. */
  | { signal: 'SIGKILL'; action: 'killed'; afterMs: number };

/** What `process` offers for signals; a test passes an EventEmitter. */
export interface SignalSource {
  on(signal: ForwardedSignal, listener: () => void): unknown;
  off(signal: ForwardedSignal, listener: () => void): unknown;
}

export interface ForwardSignalsOptions {
  /** The command's pid. */
  pid: number;
  /** After a forwarded SIGTERM/SIGHUP, SIGKILL if the command still runs this much later. */
  killAfterMs: number;
  source?: SignalSource;
  isForeground?: () => boolean;
  kill?: (pid: number, signal: NodeJS.Signals) => void;
  onEvent?: (event: ForwardEvent) => void;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * Installs the handlers (which also keep the signals from ending this process: we exit when the
 * command does, with its code). Returns a function that removes them and any pending SIGKILL; call it
 * once the command has exited.
 */
export function forwardSignals(options: ForwardSignalsOptions): () => void {
  const source: SignalSource = options.source ?? process;
  const kill = options.kill ?? ((pid, signal) => process.kill(pid, signal));
  const isForeground = options.isForeground ?? (() => false);
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  let sigints = 0;
  let killTimer: unknown;

  const send = (signal: NodeJS.Signals): void => {
    try {
      kill(options.pid, signal);
    } catch (error) {
      // ESRCH: the command exited a moment ago; its exit is on its way to us.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };

  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => {
      // Only SIGINT asks about the terminal: reading it costs a file read (a `ps` off Linux).
      const foreground = signal === 'SIGINT' && sigints === 0 ? isForeground() : false;
      const action = decideForward(signal, { foreground, sigintsBefore: sigints });
      if (signal === 'SIGINT') sigints += 1;
      if (action === 'forward') send(signal);
      options.onEvent?.({ signal, action });
      if (signal !== 'SIGINT' && killTimer === undefined) {
        killTimer = setTimer(() => {
          send('SIGKILL');
          options.onEvent?.({ signal: 'SIGKILL', action: 'killed', afterMs: options.killAfterMs });
        }, options.killAfterMs);
      }
    };
    source.on(signal, handler);
    return { signal, handler };
  });

  return () => {
    for (const { signal, handler } of handlers) source.off(signal, handler);
    if (killTimer !== undefined) clearTimer(killTimer);
  };
}
