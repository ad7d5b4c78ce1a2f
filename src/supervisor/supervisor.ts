/**
 * The orchestrator: feeds events (STS answers, child lifecycle, timers, file changes, keys, control
 * requests) to the pure state machine and carries out the effects it returns, in order. It decides
 * nothing itself; every rule lives in the transitions (state-machine.ts and *-transitions.ts).
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Logger } from 'pino';
import { formatDuration } from '../config/duration.js';
import type { SupervisorOptions } from '../config/options.js';
import type { StatusSnapshot } from '../control/status.js';
import { describeProfile } from '../credentials/describe-profile.js';
import type { MfaCodePrompt } from '../credentials/mfa-prompt.js';
import { profileFilesToWatch } from '../credentials/profile-files.js';
import { resolveCredentials } from '../credentials/resolve-credentials.js';
import { buildChildEnv, warnAboutChildProfileFlag } from '../delivery/child-env.js';
import { type CredentialEndpoint, startCredentialEndpoint } from '../delivery/credential-endpoint.js';
import { writeNeutralAwsConfig } from '../delivery/neutral-aws-config.js';
import { registerSecret } from '../logging/redact.js';
import { notify } from '../prompt/notify.js';
import { describeReason, formatNotification, formatPrompt, type ProfileHint } from '../prompt/prompt-text.js';
import { formatReloadAnswer } from '../prompt/reload-answer.js';
import { describeExpiry, formatCountdown, formatStatusLine } from '../prompt/status-line.js';
import { getChildColorEnv } from '../terminal/color-env.js';
import { type ConsoleMux, createConsoleMux, type MuxTarget } from '../terminal/console-mux.js';
import type { VerifyOptions } from '../verify/verify-credentials.js';
import { verifyCredentials } from '../verify/verify-credentials.js';
import { type BackoffPolicy, DEFAULT_BACKOFF_POLICY } from './backoff.js';
import { startCheckSchedule } from './check-schedule.js';
import { type StartedChild, startChild } from './child-runner.js';
import { CredentialCandidates } from './credential-candidates.js';
import { armExpiryTimers } from './expiry-schedule.js';
import { type SourceWatcher, watchCredentialSources } from './source-watcher.js';
import { createInitialState, transition } from './state-machine.js';
import { snapshotStatus } from './status-snapshot.js';
import type {
  BackoffPurpose,
  Effect,
  FreshCredentialsTrigger,
  MachineConfig,
  StopRequestReason,
  SupervisorEvent,
  SupervisorState,
} from './types.js';

export interface TerminalStream extends MuxTarget {
  isTTY?: boolean;
}

export interface SupervisorConfig {
  options: SupervisorOptions;
  /** The command line to supervise (already defaulted to `cdk watch --hotswap-fallback`). */
  command: readonly string[];
  cwd: string;
  /** The person's environment: the child's is built from it, and the sources read it. */
  env: NodeJS.ProcessEnv;
  stdout: TerminalStream;
  stderr: TerminalStream;
  /** Keys are handled and someone can answer: `fatal` waits for `r` instead of exiting. */
  interactive: boolean;
  /**
   * stdout and stderr reach the same place (a terminal, or `2>&1`): our lines must then wait for the
   * child's stdout lines too. Default: both are terminals.
   */
  sharedOutput?: boolean;
  logger?: Logger;
  /** Told the child's process group whenever it changes (null once gone), for the lock's record. */
  onChildGroup?: (pgid: number | null) => void;
  promptMfaCode?: MfaCodePrompt;
  /** Settings for STS calls (the demo's local STS endpoint, test timeouts). */
  verifyOptions?: Partial<VerifyOptions>;
  /** The endpoint's advertised lease (default 60 s; the demo and tests use shorter ones). */
  leaseMs?: number;
  backoff?: BackoffPolicy;
  /** Arm the watchdog that kills the child's group if the supervisor is SIGKILLed (default true). */
  watchdog?: boolean;
  now?: () => number;
}

export interface SupervisorEvents {
  /** Every transition, with the status snapshot after it. */
  state: [StatusSnapshot];
  /** The child's leader exited (whoever caused it). */
  'child-exit': [{ code: number | null; signal: string | null }];
  /** The credentials the child uses were found expired or revoked. */
  'credentials-expired': [{ kind: 'expired' | 'revoked' }];
  /** The endpoint handed credentials to the child. */
  served: [{ accessKeyId: string }];
}

const PREFIX = '[cred-supervisor]';

function sharesDestination(config: SupervisorConfig): boolean {
  return config.sharedOutput ?? (config.stdout.isTTY === true && config.stderr.isTTY === true);
}
/** A credential source that never answers (a hung credential_process) must not stall the machine. */
const RESOLVE_TIMEOUT_MS = { interactive: 180_000, batch: 60_000 };

export class Supervisor extends EventEmitter<SupervisorEvents> {
  private state: SupervisorState = createInitialState();
  private readonly machine: MachineConfig;
  private readonly now: () => number;
  private readonly mux: ConsoleMux;
  private readonly candidates: CredentialCandidates;
  private readonly queue: SupervisorEvent[] = [];
  private dispatching = false;
  private child: StartedChild | undefined;
  /** The spawn in flight: a stop that comes meanwhile must wait for it, or the child would escape. */
  private spawning: Promise<unknown> | undefined;
  private force = new AbortController();
  private endpoint: CredentialEndpoint | undefined;
  private watcher: SourceWatcher | undefined;
  private stopSchedule: (() => void) | undefined;
  private cancelExpiry: (() => void) | undefined;
  private readonly backoffTimers = new Map<BackoffPurpose, NodeJS.Timeout>();
  private profileHint: ProfileHint | undefined;
  /** Manual reloads waiting for the next verdict (see reloadAndAnswer). */
  private readonly reloadWaiters = new Set<(answer: string) => void>();
  /** The region of the person's own set-up, for a child whose AWS config files are neutralised. */
  private ambientRegion: string | undefined;
  private finish!: (code: number) => void;
  /** Created up front: a stop request can decide the exit before `run()` is awaited. */
  private readonly exitCode = new Promise<number>((resolve) => {
    this.finish = resolve;
  });

  constructor(private readonly config: SupervisorConfig) {
    super();
    this.now = config.now ?? Date.now;
    this.machine = {
      delivery: config.options.delivery,
      refreshBeforeMs: config.options.refreshBeforeMs,
      backoff: config.backoff ?? DEFAULT_BACKOFF_POLICY,
      exitOnFatal: !config.interactive,
    };
    this.mux = createConsoleMux({
      stdout: config.stdout,
      stderr: config.stderr,
      // The child's stdout shares our lines' destination only on one terminal or with `2>&1`;
      // redirected elsewhere, it stays byte-exact.
      sharedScreen: sharesDestination(config) ? ['stdout', 'stderr'] : ['stderr'],
    });
    this.candidates = new CredentialCandidates({
      options: config.options,
      env: config.env,
      resolve: resolveCredentials,
      verify: verifyCredentials,
      verifyOptions: { env: config.env, ...config.verifyOptions },
      resolveExtras: config.promptMfaCode ? { promptMfaCode: config.promptMfaCode } : {},
    });
  }

  /** Runs until the machine decides to exit; resolves with the exit code. */
  async run(): Promise<number> {
    try {
      await this.setUp();
    } catch (error) {
      this.say('error', `Could not start: ${(error as Error).message}`);
      await this.tearDown();
      return 1;
    }
    this.dispatch({ type: 'start' });
    const code = await this.exitCode;
    await this.tearDown();
    return code;
  }

  status(): StatusSnapshot {
    return snapshotStatus(this.state, process.pid);
  }

  /** `r`, `cred-supervisor reload`, SIGUSR1: re-read credentials now. */
  reload(trigger: FreshCredentialsTrigger = 'reload'): void {
    this.dispatch({ type: 'fresh-credentials-available', trigger });
  }

  /**
   * A reload the person asked for (`r`, `cred-supervisor reload`): the verdict is said on the terminal
   * and resolves the promise: unchanged, fresh, or rejected and why. Never silence.
   */
  reloadAndAnswer(trigger: FreshCredentialsTrigger, waitMs = 15_000): Promise<string> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.reloadWaiters.delete(answer);
        resolve("Re-reading credentials; the outcome will show in the supervisor's output.");
      }, waitMs);
      timer.unref?.();
      const answer = (text: string) => {
        clearTimeout(timer);
        resolve(text);
      };
      this.reloadWaiters.add(answer);
      this.reload(trigger);
    });
  }

  /** Ctrl+C, `q`, SIGTERM, SIGHUP, `cred-supervisor stop`. A second request forces. */
  requestStop(reason: StopRequestReason, force = false): void {
    this.dispatch({ type: 'stop-requested', reason, ...(force ? { force } : {}) });
  }

  /** The `s` key: status line and countdown. */
  printCountdown(): void {
    const credentials = this.state.credentials;
    this.mux.say(this.statusLine());
    if (this.state.credentialsBroken) {
      this.mux.say(
        `${PREFIX} STS no longer accepts the credentials in use (${this.state.credentialsBroken}); waiting for fresh ones.`,
      );
      return;
    }
    this.mux.say(
      `${PREFIX} ${formatCountdown({
        expiresAt: credentials ? credentials.expiresAt : undefined,
        temporary: credentials?.temporary === true,
        checkSchedule: this.config.options.checkSchedule,
        refreshBeforeMs: this.config.options.refreshBeforeMs,
        now: this.now(),
      })}`,
    );
  }

  /** Prints a line that is not the supervisor's (the demo's narration), with the same care. */
  narrate(text: string): void {
    this.mux.say(text);
  }

  /** Prints one of the supervisor's own lines without splitting a line of the child's. */
  say(level: 'info' | 'warn' | 'error', message: string): void {
    this.mux.say(`${PREFIX} ${message}`);
    this.config.logger?.[level]({ event: 'message' }, message);
  }

  private async setUp(): Promise<void> {
    const { options, env } = this.config;
    const profileFlag = warnAboutChildProfileFlag(this.config.command);
    if (profileFlag && options.delivery === 'endpoint') this.say('warn', profileFlag);
    if (options.delivery === 'endpoint') {
      this.endpoint = await startCredentialEndpoint({
        stateDir: options.stateDir,
        ...(this.config.leaseMs ? { leaseMs: this.config.leaseMs } : {}),
      });
      registerSecret(await this.endpointToken());
      this.endpoint.on('request', (request) => {
        if (request.accessKeyId) this.emit('served', { accessKeyId: request.accessKeyId });
        this.config.logger?.debug({ event: 'endpoint-request', status: request.status }, 'endpoint request');
      });
    }
    const profile = options.profile ?? env.AWS_PROFILE;
    if (profile) this.profileHint = await this.describeProfileHint(profile);
    this.ambientRegion = await this.findAmbientRegion(profile);
    this.watcher = watchCredentialSources({
      credentialsFile: options.credentialsFile,
      profilePaths: profile ? profileFilesToWatch(env) : [],
      onChange: (change) => this.dispatch({ type: 'fresh-credentials-available', trigger: change }),
      onError: (error) => this.config.logger?.warn({ err: error }, 'file watcher error'),
    });
    await this.watcher.ready;
    this.stopSchedule = startCheckSchedule(
      options.checkSchedule,
      () => this.dispatch({ type: 'probe-due' }),
      {
        log: (level, message) => this.config.logger?.[level]({ event: 'cron' }, message),
      },
    );
  }

  private async endpointToken(): Promise<string | undefined> {
    if (!this.endpoint) return undefined;
    const { readFile } = await import('node:fs/promises');
    return readFile(this.endpoint.tokenFile, 'utf8').catch(() => undefined);
  }

  /**
   * The SDK reads AWS_REGION and the config file's `region`, not AWS_DEFAULT_REGION; and with endpoint
   * delivery the child's config file is a neutral one. So the region the person set up is carried over.
   */
  private async findAmbientRegion(profile: string | undefined): Promise<string | undefined> {
    const { env } = this.config;
    if (env.AWS_REGION) return env.AWS_REGION;
    if (env.AWS_DEFAULT_REGION) return env.AWS_DEFAULT_REGION;
    try {
      return (await describeProfile(profile ?? 'default', env)).region;
    } catch {
      return undefined;
    }
  }

  private regionFor(candidateId: number): string | undefined {
    return this.config.options.region ?? this.candidates.get(candidateId)?.region ?? this.ambientRegion;
  }

  private async describeProfileHint(profile: string): Promise<ProfileHint> {
    try {
      const description = await describeProfile(profile, this.config.env);
      return {
        name: profile,
        kind: description.kind === 'sso' ? 'sso' : 'other',
        ...(description.roleArn ? { roleArn: description.roleArn } : {}),
        ...(description.mfaSerial ? { mfaSerial: description.mfaSerial } : {}),
      };
    } catch {
      return { name: profile };
    }
  }

  private async tearDown(): Promise<void> {
    this.stopSchedule?.();
    this.cancelExpiry?.();
    for (const timer of this.backoffTimers.values()) clearTimeout(timer);
    this.backoffTimers.clear();
    await this.watcher?.close();
    await this.spawning;
    if (this.child) {
      // Only reached if an exit was decided with a child still alive (should not happen): never leave it.
      const { outputHeld } = await this.child.stop(this.config.options.stopGraceMs, this.force.signal);
      if (outputHeld) this.warnOutputHeld();
      this.config.onChildGroup?.(null);
    }
    await this.endpoint?.close();
    this.mux.flush();
  }

  /** Events are handled one at a time, in order; effects that answer later enqueue new events. */
  private dispatch(event: SupervisorEvent): void {
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) this.handle(next);
    } finally {
      this.dispatching = false;
    }
  }

  private handle(event: SupervisorEvent): void {
    const before = this.state;
    if (
      this.reloadWaiters.size > 0 &&
      (event.type === 'credentials-verified' || event.type === 'credentials-rejected')
    ) {
      const answer = formatReloadAnswer(event, before.credentials, this.now());
      this.say(event.type === 'credentials-rejected' ? 'warn' : 'info', answer);
      for (const waiter of this.reloadWaiters) waiter(answer);
      this.reloadWaiters.clear();
    }
    const { state, effects } = transition(before, event, { now: this.now(), config: this.machine });
    this.state = state;
    this.config.logger?.debug({ event: event.type, effects: effects.map((e) => e.type) }, 'transition');
    if (state.status !== before.status) {
      this.config.logger?.info(
        { event: 'state', from: before.status, to: state.status },
        `state ${state.status}`,
      );
    }
    if (state.lastError && state.lastError !== before.lastError) {
      this.config.logger?.warn({ event: 'last-error' }, state.lastError);
    }
    if (state.credentialsBroken && state.credentialsBroken !== before.credentialsBroken) {
      this.emit('credentials-expired', { kind: state.credentialsBroken });
    }
    for (const effect of effects) this.execute(effect);
    this.emit('state', this.status());
  }

  private execute(effect: Effect): void {
    switch (effect.type) {
      case 'verify-candidate':
        this.answer(this.verifyCandidate(effect.candidateId));
        return;
      case 'probe-now':
        this.answer(this.candidates.probe(effect.candidateId));
        return;
      case 'spawn-child': {
        const spawned = this.spawn(effect.candidateId);
        const settled = spawned.then(
          () => undefined,
          () => undefined,
        );
        this.spawning = settled;
        void settled.then(() => {
          if (this.spawning === settled) this.spawning = undefined;
        });
        this.answer(spawned);
        return;
      }
      case 'serve-credentials':
        this.serve(effect.candidateId);
        return;
      case 'stop-child':
        this.answer(this.stopChild(effect.reason === 'credentials-needed'));
        return;
      case 'kill-child':
        this.force.abort();
        return;
      case 'schedule-backoff':
        this.scheduleBackoff(effect.purpose, effect.delayMs);
        return;
      case 'track-expiry':
        this.trackExpiry(effect.expiresAt);
        return;
      case 'warn-expiring':
        this.say(
          'warn',
          `credentials ${describeExpiry(effect.expiresAt, this.now())}; looking for fresher ones in ${this.sourceDescription()}`,
        );
        return;
      case 'print':
        this.say(effect.level, effect.message);
        return;
      case 'print-status':
        this.mux.say(this.statusLine());
        return;
      case 'print-prompt':
        this.mux.say(this.promptText(effect.reason));
        this.config.logger?.warn(
          // The full reason: the prompt cuts a long one to fit the screen.
          {
            event: 'credentials-needed',
            reason: effect.reason.kind,
            detail: describeReason(effect.reason, this.now()),
          },
          'credentials needed',
        );
        return;
      case 'notify':
        void notify(formatNotification(effect.attention, this.config.command), {
          terminal: this.config.stderr,
          env: this.config.env,
          ...(this.config.options.notifyCommand ? { notifyCommand: this.config.options.notifyCommand } : {}),
          onError: (channel, error) =>
            this.config.logger?.warn({ event: 'notify-failed', channel, err: error }, 'notification failed'),
        });
        return;
      case 'exit':
        this.finish(effect.code);
        return;
    }
  }

  /** Runs an effect whose answer is an event; a bug in it becomes a logged error, never a crash. */
  private answer(work: Promise<SupervisorEvent | undefined>): void {
    work.then(
      (event) => {
        if (event) this.dispatch(event);
      },
      (error: Error) => {
        this.config.logger?.error({ err: error }, 'effect failed');
        this.say('error', `internal error: ${error.message}`);
      },
    );
  }

  private async verifyCandidate(candidateId: number): Promise<SupervisorEvent> {
    const limit = this.config.interactive ? RESOLVE_TIMEOUT_MS.interactive : RESOLVE_TIMEOUT_MS.batch;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SupervisorEvent>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            type: 'credentials-rejected',
            candidateId,
            reason: 'profile-failed',
            message: `Resolving credentials took longer than ${formatDuration(limit)} (a credential_process or SSO that never answered?).`,
          }),
        limit,
      );
    });
    try {
      const event = await Promise.race([this.candidates.verifyCandidate(candidateId), timeout]);
      const verified = this.candidates.get(candidateId);
      if (event.type === 'credentials-verified' && verified) {
        registerSecret(verified.credentials.secretAccessKey);
        registerSecret(verified.credentials.sessionToken);
      }
      this.config.logger?.info(
        {
          event: event.type,
          candidateId,
          ...(event.type === 'credentials-verified'
            ? {
                account: event.credentials.account,
                arn: event.credentials.arn,
                source: event.credentials.source,
              }
            : event.type === 'credentials-rejected'
              ? { reason: event.reason }
              : {}),
        },
        event.type === 'credentials-rejected' ? event.message : 'credentials verified',
      );
      return event;
    } finally {
      clearTimeout(timer);
    }
  }

  private childEnv(candidateId: number): Record<string, string> {
    const { options } = this.config;
    const resolved = this.candidates.get(candidateId);
    const region = this.regionFor(candidateId);
    const profile = options.profile ?? this.config.env.AWS_PROFILE;
    const env = buildChildEnv({
      baseEnv: this.config.env,
      delivery: options.delivery,
      ...(this.endpoint ? { endpoint: { url: this.endpoint.url, tokenFile: this.endpoint.tokenFile } } : {}),
      ...(resolved ? { credentials: resolved.credentials } : {}),
      ...(profile ? { profile } : {}),
      ...(region ? { region } : {}),
      neutralConfigDir: options.stateDir,
    });
    return { ...env, ...getChildColorEnv(this.config.stderr, this.config.env) };
  }

  private async spawn(candidateId: number): Promise<SupervisorEvent> {
    const { options } = this.config;
    try {
      if (options.delivery === 'endpoint') {
        const region = this.regionFor(candidateId);
        await writeNeutralAwsConfig({ dir: options.stateDir, ...(region ? { region } : {}) });
        this.serve(candidateId);
      }
      this.force = new AbortController();
      const child = await startChild({
        command: this.config.command,
        cwd: this.config.cwd,
        env: this.childEnv(candidateId),
        mux: this.mux,
        onGroup: (pgid) => this.config.onChildGroup?.(pgid),
        onErrorLine: (kind) => {
          this.config.logger?.info(
            { event: 'output-error-line', kind },
            `credential error in output: ${kind}`,
          );
          this.dispatch({ type: 'output-error-line', kind });
        },
        watchdog: this.config.watchdog !== false,
      });
      this.child = child;
      for (const warning of child.warnings) this.say('warn', warning);
      this.config.logger?.info(
        { event: 'child-started', childPid: child.pid, command: this.config.command[0] },
        'child started',
      );
      void child.exited.then(({ exitCode, signal }) => {
        this.config.logger?.info({ event: 'child-exited', code: exitCode, signal }, 'child exited');
        this.emit('child-exit', { code: exitCode, signal });
        // Once its stop has completed, the machine may already have started the next child: an exit
        // reported now would be taken for that one's crash.
        if (this.child === child) this.dispatch({ type: 'child-exited', code: exitCode, signal });
      });
      return { type: 'child-started', pid: child.pid };
    } catch (error) {
      const err = error as Error & { code?: string };
      return {
        type: 'child-spawn-failed',
        message: err.message,
        ...(typeof err.code === 'string' ? { code: err.code } : {}),
      };
    }
  }

  private serve(candidateId: number): void {
    const resolved = this.candidates.get(candidateId);
    if (!this.endpoint || !resolved) return;
    this.endpoint.serve(resolved.credentials);
  }

  private async stopChild(credentialsNeeded: boolean): Promise<SupervisorEvent> {
    if (credentialsNeeded) this.endpoint?.serve(null, 'cred-supervisor is waiting for fresh credentials.');
    // Asked while the child is still being spawned (Ctrl+C right at the start): stop it once it exists.
    await this.spawning;
    const child = this.child;
    if (child) {
      const { outputHeld } = await child.stop(this.config.options.stopGraceMs, this.force.signal);
      this.child = undefined;
      this.config.onChildGroup?.(null);
      if (outputHeld) this.warnOutputHeld();
    }
    return { type: 'child-stopped' };
  }

  private warnOutputHeld(): void {
    this.say(
      'warn',
      "The command's process group is gone, but a process it detached (setsid, a daemon) still holds its output; no longer reading it. That process was not stopped.",
    );
  }

  private scheduleBackoff(purpose: BackoffPurpose, delayMs: number): void {
    clearTimeout(this.backoffTimers.get(purpose));
    this.backoffTimers.set(
      purpose,
      setTimeout(() => {
        this.backoffTimers.delete(purpose);
        this.dispatch({ type: 'backoff-elapsed', purpose });
      }, delayMs),
    );
  }

  private trackExpiry(expiresAt: number | null): void {
    this.cancelExpiry?.();
    this.cancelExpiry = undefined;
    if (expiresAt === null) return;
    this.cancelExpiry = armExpiryTimers({
      expiresAt,
      refreshBeforeMs: this.config.options.refreshBeforeMs,
      onRefreshDue: (at) => this.dispatch({ type: 'refresh-due', expiresAt: at }),
      onExpired: (at) => this.dispatch({ type: 'expired', expiresAt: at }),
    });
  }

  private statusLine(): string {
    const credentials = this.state.credentials;
    // Credentials STS refused have no time left, whatever their expiration says ("59m left" next to
    // "waiting-for-credentials" read as a contradiction).
    const timeLeft = credentials && !this.state.credentialsBroken;
    return formatStatusLine({
      state: this.state.status,
      account: credentials?.account ?? null,
      ...(timeLeft ? { expiresAt: credentials.expiresAt, temporary: credentials.temporary === true } : {}),
      now: this.now(),
    });
  }

  private sourceDescription(): string {
    const { options } = this.config;
    const profile = options.profile ?? this.config.env.AWS_PROFILE;
    const file = path.relative(this.config.cwd, options.credentialsFile) || options.credentialsFile;
    return profile ? `${file} and profile ${profile}` : file;
  }

  private promptText(reason: Parameters<typeof formatPrompt>[0]['reason']): string {
    const { options } = this.config;
    const region = options.region ?? this.config.env.AWS_REGION ?? this.config.env.AWS_DEFAULT_REGION;
    return formatPrompt({
      reason,
      command: this.config.command,
      credentialsFile: options.credentialsFile,
      ...(this.profileHint ? { profile: this.profileHint } : {}),
      ...(options.expectAccount ? { expectAccount: options.expectAccount } : {}),
      ...(this.state.credentials ? { account: this.state.credentials.account } : {}),
      ...(region ? { region } : {}),
      interactive: this.config.interactive,
      now: this.now(),
    });
  }
}
