import type { Delivery } from '../config/options.js';
import type { PublicState } from '../control/status.js';
import type { CredentialErrorKind } from '../detect/credential-error-kind.js';
import type { BackoffPolicy, CrashHistory } from './backoff.js';

/** The machine's `status`: the states `status --json` reports, one list for both. */
export type SupervisorStatus = PublicState;

/** Facts about one verified set of credentials. No secret: the orchestrator keeps those. */
export interface VerifiedCredentialFacts {
  account: string;
  arn: string;
  /**
   * A non-secret value that changes whenever the credentials change (e.g. the access key id plus the
   * expiration). Used to tell "the source gave the same credentials again" from "fresh ones".
   */
  fingerprint: string;
  /** Epoch ms; null for credentials without an expiration (long-term keys). */
  expiresAt: number | null;
  /** ASIA… keys: without an expiresAt, their expiry is unknown rather than absent. */
  temporary?: boolean;
  /** Human description of the source: the file path, `profile dev`, `environment`. */
  source: string;
}

/** Verified credentials the machine chose, tagged with the verification that produced them. */
export interface ChosenCredentials extends VerifiedCredentialFacts {
  candidateId: number;
}

/** Why a candidate was not accepted. `network` and `not-ready` are transient; the rest need the person. */
export type RejectionReason =
  | 'missing' // no source had credentials
  | 'expired'
  | 'invalid' // STS InvalidClientTokenId: revoked, typo, deleted key
  | 'malformed'
  | 'not-ready' // empty or half-written file: its writer is not done yet
  | 'unsafe' // group/world-readable or tracked by git
  | 'root'
  | 'wrong-account'
  | 'profile-failed'
  | 'network' // STS unreachable: says nothing about the credentials
  | 'clock-skew' // STS refused the request's signing time: this machine's clock is wrong, not the keys
  | 'other-account' // working, but for another account than the child started with: the person decides
  | 'expiring-soon'; // verified, but they expire within --stop-before (decided by the machine)

/** `clock-skew` and `network` say nothing about the credentials: the child keeps running. */
export type ProbeFailureKind = 'expired' | 'invalid' | 'network' | 'clock-skew';

export type { CredentialErrorKind };

/** How fresh credentials were announced. Manual triggers also cut a crash backoff short. */
export type FreshCredentialsTrigger = 'file' | 'profile' | 'reload' | 'signal' | 'key';

/** The machine's whole state (not the 7 names `status` reports: that is `SupervisorStatus`). */

export type StopRequestReason =
  | 'key' // `q`
  | 'sigint' // Ctrl+C (signal, or the \x03 byte in raw mode)
  | 'sigterm'
  | 'sighup' // the terminal went away
  | 'control' // `cred-supervisor stop`
  | 'finished'; // the program driving the supervisor (the demo) is done: nobody to hint at forcing

/** Why credentials are needed: "what happened", for the prompt and the notification. */
export type WaitReason =
  | { kind: 'missing'; detail: string }
  | { kind: 'rejected'; problem: RejectionReason; detail: string }
  /** --refresh-before was reached and no fresher credentials could be had. */
  | { kind: 'expiring'; expiresAt: number; detail: string }
  | { kind: 'expired'; expiresAt: number | null; detail?: string }
  | { kind: 'revoked'; detail?: string };

/** What to do once the child's process group is confirmed empty. */
export type AfterChild =
  | { kind: 'exit'; code: number }
  | { kind: 'restart' } // spawn again with `credentials` (already verified)
  | { kind: 'wait'; reason: WaitReason }
  | { kind: 'backoff'; delayMs: number }
  | { kind: 'fatal'; message: string };

interface ChildBase {
  /** Null until `child-started`. */
  pid: number | null;
  startedAt: number | null;
  /** The verified credentials the child was spawned with or last served. */
  candidateId: number;
  /** The child ran with credentials that did not work: restart it when fresh ones arrive. */
  tainted: boolean;
  /**
   * A credential-error line arrived before `child-started` (a fast child can print before its start
   * is confirmed): acted on as soon as it is.
   */
  errorLineWhileSpawning?: CredentialErrorKind;
}

export type ChildState =
  | (ChildBase & { phase: 'spawning' | 'running' })
  | (ChildBase & { phase: 'stopping'; afterStop: AfterChild });

export type BackoffPurpose = 'restart' | 'verify' | 'probe';

export interface ProbeState {
  inFlight: boolean;
  networkFailures: number;
  /** The probe in flight was asked for by a credential-error line in the child's output. */
  byErrorLine: boolean;
  /** Error-line probes in a row that found the credentials working. */
  falseAlarms: number;
  /** Epoch ms before which error lines do not probe again (0: no limit). */
  quietUntil: number;
}

export interface SupervisorState {
  status: SupervisorStatus;
  /** The credentials in use by the child, or chosen for its next start. */
  credentials: ChosenCredentials | null;
  /** The credentials in use are known not to work any more. */
  credentialsBroken: 'expired' | 'revoked' | null;
  /** --refresh-before was reached for `credentials`: refreshing, the child keeps running. */
  refreshDue: boolean;
  /** --stop-before was reached for `credentials` and nothing fresher was verified. */
  stopDue: boolean;
  /** Verified credentials for another account are waiting for the person to confirm the switch. */
  pendingAccount: string | null;
  /** The account the person confirmed switching to (the `r` key, `reload --accept-account`). */
  acceptedAccount: string | null;
  /**
   * Fresh credentials were announced (the file rewritten, a profile's cache changed, `r`, `reload`)
   * since the last verdict: what the person provided replaces what is in use even when it expires
   * sooner, and its verdict is always said.
   */
  announced: boolean;
  child: ChildState | null;
  /** Number of spawns after the first. */
  restarts: number;
  spawns: number;
  crashes: CrashHistory;
  nextCandidateId: number;
  /** The verification in flight; `again` = another was asked for meanwhile. */
  verification: { candidateId: number; again: boolean } | null;
  /** Consecutive transient verification failures (network, half-written file). */
  verifyFailures: number;
  probe: ProbeState;
  backoffPending: Readonly<Record<BackoffPurpose, boolean>>;
  /** Set by the first stop request. */
  stop: { reason: StopRequestReason; code: number } | null;
  lastError: string | null;
  /** Set once an `exit` effect was emitted. */
  exitCode: number | null;
}

export type SupervisorEvent =
  | { type: 'start' }
  | { type: 'credentials-verified'; candidateId: number; credentials: VerifiedCredentialFacts }
  | { type: 'credentials-rejected'; candidateId: number; reason: RejectionReason; message: string }
  /** `acceptAccount`: `reload --accept-account ID`, the person confirms a switch to that account. */
  | { type: 'fresh-credentials-available'; trigger: FreshCredentialsTrigger; acceptAccount?: string }
  /** A --check-schedule tick. */
  | { type: 'probe-due' }
  | { type: 'probe-ok'; candidateId: number }
  | { type: 'probe-failed'; candidateId: number; kind: ProbeFailureKind; message: string }
  /** The timer armed by `track-expiry` for `expiresAt - refreshBeforeMs`. */
  | { type: 'refresh-due'; expiresAt: number }
  /** The timer armed by `track-expiry` for `expiresAt - stopBeforeMs`. */
  | { type: 'stop-due'; expiresAt: number }
  /** The timer armed by `track-expiry` for `expiresAt`. */
  | { type: 'expired'; expiresAt: number }
  | { type: 'output-error-line'; kind: CredentialErrorKind }
  | { type: 'child-started'; pid: number }
  /** `code` is the spawn error's code (ENOENT, EACCES...). */
  | { type: 'child-spawn-failed'; message: string; code?: string }
  /** The child's main process exited (whoever caused it). */
  | { type: 'child-exited'; code: number | null; signal: string | null }
  /** A `stop-child` finished: the child's whole process group is gone. */
  | { type: 'child-stopped' }
  | { type: 'backoff-elapsed'; purpose: BackoffPurpose }
  | { type: 'stop-requested'; reason: StopRequestReason; force?: boolean }
  /** The wall clock moved `skewMs` more (or less) than the monotonic clock: a suspend, or a time change. */
  | { type: 'clock-jumped'; skewMs: number }
  /** The old credentials are about to expire and the child never fetched the ones that replaced them. */
  | { type: 'child-missed-rotation' };

export type StopChildReason =
  | 'restart' // fresh credentials need a restart (env delivery, or the child ran on bad ones)
  | 'credentials-needed' // stop before it fails silently
  | 'exited' // it exited on its own: reap the rest of its group
  | 'shutdown'; // the supervisor stops

export type PrintLevel = 'info' | 'warn' | 'error';

export type Attention =
  | { kind: 'credentials-needed'; reason: WaitReason }
  | { kind: 'fatal'; message: string };

export type Effect =
  /** Resolve credentials from the sources, verify with STS, answer with credentials-verified/-rejected. */
  | { type: 'verify-candidate'; candidateId: number }
  /** Spawn the command with the credentials verified as `candidateId`; answer child-started/-spawn-failed. */
  | { type: 'spawn-child'; candidateId: number }
  /** endpoint delivery: hand the credentials verified as `candidateId` to the running child's endpoint. */
  | { type: 'serve-credentials'; candidateId: number }
  /** Stop the group gracefully (SIGINT, SIGTERM, SIGKILL after the grace); always answer child-stopped. */
  | { type: 'stop-child'; reason: StopChildReason }
  /** Second stop request: SIGKILL the group now. A child-stopped still follows. */
  | { type: 'kill-child' }
  /** STS GetCallerIdentity with the credentials the child uses; answer probe-ok/-failed. */
  | { type: 'probe-now'; candidateId: number }
  /** Arm (replace) the timer for `purpose`; answer backoff-elapsed. */
  | { type: 'schedule-backoff'; purpose: BackoffPurpose; delayMs: number }
  /** (Re)arm refresh-due/stop-due/expired timers for this expiration, or cancel them (null). */
  | { type: 'track-expiry'; expiresAt: number | null }
  /** The --refresh-before warning. */
  | { type: 'warn-expiring'; expiresAt: number }
  | { type: 'print'; level: PrintLevel; message: string }
  /** Print the one-line status (formatStatusLine) and update the state file. */
  | { type: 'print-status' }
  | { type: 'print-prompt'; reason: WaitReason }
  | { type: 'notify'; attention: Attention }
  /** Always the last effect of a transition. */
  | { type: 'exit'; code: number };

export interface MachineConfig {
  delivery: Delivery;
  /** When refreshing starts and the person is warned; the child keeps running. */
  refreshBeforeMs: number;
  /** When the child is stopped if nothing fresher was verified; fresh credentials need more than this. */
  stopBeforeMs: number;
  backoff: BackoffPolicy;
  /** Non-interactive runs (CI, scripts) end on `fatal` instead of waiting for the person. */
  exitOnFatal: boolean;
  /**
   * The child takes credentials once (a CDK CLI before 2.172): fresh credentials reach it only by a
   * restart, as with env delivery. Decided by compat/credential-route.ts.
   */
  rotateByRestart?: boolean;
}

export interface TransitionContext {
  /** Epoch ms. */
  now: number;
  config: MachineConfig;
}

export interface Transition {
  state: SupervisorState;
  effects: Effect[];
}
