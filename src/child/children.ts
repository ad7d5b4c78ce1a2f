/**
 * What the orchestrator needs of the children `watch` runs, whichever it has: one command (ChildSlot)
 * or the processes of a Procfile (ChildGroup). The machine sees one "child" either way, so the
 * orchestrator never asks which one it holds.
 */
import type { Logger } from 'pino';
import { type CredentialRoute, childDelivery } from '../compat/credential-route.js';
import type { Delivery, SupervisorOptions } from '../config/options.js';
import type { ChildStatusJson } from '../control/status.js';
import type { ResolvedCredentials } from '../credentials/types.js';
import type { StopChildReason, SupervisorEvent } from '../supervisor/types.js';
import type { ConsoleMux, MuxTarget } from '../terminal/console-mux.js';
import type { RecordedGroup } from './child-runner.js';

export interface TerminalStream extends MuxTarget {
  isTTY?: boolean;
}

/** One child as `status` shows it. */
export type ChildStatus = ChildStatusJson;

/** What the children are handed and how the machine rotates them, decided once before they start. */
export interface RoutePlan {
  delivery: Delivery;
  /** A profile the command reads itself (cdk.json's, its own flags). */
  profile?: string | undefined;
  /** The command takes credentials once: every rotation is a restart. */
  rotateByRestart: boolean;
  /** What to tell the person about the route, if anything. */
  note?: { level: 'info' | 'warn'; text: string } | undefined;
}

/** The route decides what the child is handed (compat/credential-route.ts); the machine follows it. */
export function planRoute(route: CredentialRoute, chosen: Delivery): RoutePlan {
  const handed = childDelivery(route, chosen);
  const rotateByRestart = route.kind === 'restart' && handed.delivery === 'endpoint';
  const note = rotateByRestart
    ? { level: 'warn' as const, text: route.why }
    : route.kind === 'profile' && route.from !== 'option'
      ? { level: 'info' as const, text: route.why }
      : undefined;
  return { ...handed, rotateByRestart, ...(note ? { note } : {}) };
}

export interface ChildrenConfig {
  options: SupervisorOptions;
  /** The command line to supervise (unused with `processes`). */
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: TerminalStream;
  stderr: TerminalStream;
  /** stdout and stderr reach the same place (see SupervisorConfig). */
  sharedOutput?: boolean | undefined;
  logger?: Logger | undefined;
  /** Arm the watchdog that kills the child's group if the supervisor is SIGKILLed (default true). */
  watchdog?: boolean | undefined;
  /** Files each watchdog removes if the supervisor dies (the tmux segments; see WatchdogOptions). */
  removeIfSupervisorDies?: readonly string[] | undefined;
  /** Told the (first) child's process group whenever it changes (null once gone). */
  onChildGroup?: ((group: RecordedGroup | null) => void) | undefined;
  candidates: {
    get(candidateId: number): ResolvedCredentials | undefined;
    regionFor(candidateId: number): string | undefined;
  };
  /** The endpoint's advertised lease (default 60 s). */
  leaseMs?: number | undefined;
  onServed: (served: { accessKeyId: string }) => void;
  /**
   * Runs `check` at `checkAt` (a timer of the orchestrator's): after a rotation, whether the child
   * moved on from the credentials it had.
   */
  armRotationCheck: (checkAt: number, check: () => void) => void;
  now: () => number;
  dispatch: (event: SupervisorEvent) => void;
  onExit: (exit: { code: number | null; signal: string | null }) => void;
  say: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface Children {
  /** Where the children's output and the supervisor's lines meet without splitting a line. */
  readonly mux: ConsoleMux;
  /** How the command(s) will get credentials; decides what they are handed, so call it before `open`. */
  route(): Promise<RoutePlan>;
  /** Starts the endpoint the children's SDKs will ask, when one is needed (serving nothing yet). */
  open(): Promise<void>;
  /** After the machine is done: stops what still runs, closes the endpoint. */
  close(): Promise<void>;
  spawn(candidateId: number): Promise<SupervisorEvent>;
  serve(candidateId: number): void;
  stop(reason: StopChildReason): Promise<SupervisorEvent>;
  /** Second stop request: SIGKILL now. */
  forceStop(): void;
  /** Every process as `status` lists them; undefined for one command. */
  describe(): ChildStatus[] | undefined;
  /** `cred-supervisor restart NAME`: one process alone; refused for one command. */
  restartOne(name: string): Promise<string>;
}
