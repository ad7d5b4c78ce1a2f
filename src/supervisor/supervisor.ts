/**
 * The orchestrator: feeds events (STS answers, child lifecycle, timers, file changes, keys, control
 * requests) to the pure state machine and carries out the effects it returns, in order, through one
 * handler per effect. It decides nothing itself; every rule lives in the transitions, every text in
 * prompt/supervisor-view.ts, every timer in timers/supervisor-timers.ts.
 */
import { EventEmitter } from 'node:events';
import { ChildGroup, type ChildStatus } from '../child/child-group.js';
import { ChildSlot } from '../child/child-slot.js';
import { childDelivery } from '../compat/credential-route.js';
import { effectiveStopBeforeMs } from '../config/options.js';
import { childLines } from '../control/status.js';
import { CredentialSources } from '../credentials/credential-sources.js';
import { notify } from '../prompt/notify.js';
import { describeReason, formatNotification } from '../prompt/prompt-text.js';
import { ReloadAnswers } from '../prompt/reload-answer.js';
import * as view from '../prompt/supervisor-view.js';
import { type Clock, clockFromEnv } from '../timers/clock.js';
import { SupervisorTimers } from '../timers/supervisor-timers.js';
import { describeRegionOrigin } from '../verify/region.js';
import { DEFAULT_BACKOFF_POLICY } from './backoff.js';
import { createInitialState, transition } from './state-machine.js';
import { type StatusSnapshot, snapshotStatus } from './status-snapshot.js';
import { resolveTimeoutMs, type SupervisorConfig, type SupervisorEvents } from './supervisor-config.js';
import type {
  BackoffPurpose,
  Effect,
  FreshCredentialsTrigger,
  MachineConfig,
  StopRequestReason,
  SupervisorEvent,
  SupervisorState,
} from './types.js';

export type { SupervisorConfig, SupervisorEvents, TerminalStream } from './supervisor-config.js';
export { mfaQuestionTimeoutMs } from './supervisor-config.js';

type EffectHandlers = { [K in Effect['type']]: (effect: Extract<Effect, { type: K }>) => void };

export class Supervisor extends EventEmitter<SupervisorEvents> {
  private state: SupervisorState = createInitialState();
  private readonly machine: MachineConfig;
  private readonly clock: Clock;
  private readonly timers: SupervisorTimers<BackoffPurpose>;
  private readonly sources: CredentialSources;
  /** One command, or the set of a Procfile (which the machine sees as one child). */
  private readonly child: ChildSlot | ChildGroup;
  private readonly queue: SupervisorEvent[] = [];
  private dispatching = false;
  private readonly reloadAnswers = new ReloadAnswers();
  private finish!: (code: number) => void;
  /** Created up front: a stop request can decide the exit before `run()` is awaited. */
  private readonly exitCode = new Promise<number>((resolve) => {
    this.finish = resolve;
  });

  constructor(private readonly config: SupervisorConfig) {
    super();
    const base = config.clock ?? clockFromEnv(config.env);
    this.clock = config.now ? { ...base, now: config.now } : base;
    const { options } = config;
    this.machine = {
      delivery: options.delivery,
      refreshBeforeMs: options.refreshBeforeMs,
      stopBeforeMs: effectiveStopBeforeMs(options),
      backoff: config.backoff ?? DEFAULT_BACKOFF_POLICY,
      exitOnFatal: !config.interactive,
    };
    this.timers = new SupervisorTimers<BackoffPurpose>(this.clock, options.refreshBeforeMs, {
      onRefreshDue: (expiresAt) => this.dispatch({ type: 'refresh-due', expiresAt }),
      stopBefore: {
        ms: effectiveStopBeforeMs(options),
        onStopDue: (expiresAt) => this.dispatch({ type: 'stop-due', expiresAt }),
      },
      onExpired: (expiresAt) => this.dispatch({ type: 'expired', expiresAt }),
      onBackoffElapsed: (purpose) => this.dispatch({ type: 'backoff-elapsed', purpose }),
      onProbeDue: () => this.dispatch({ type: 'probe-due' }),
      onClockJump: (skewMs) => {
        // Listeners first (the SSO session is looked at before the re-verification asks for a login).
        this.emit('clock-jumped', skewMs);
        this.dispatch({ type: 'clock-jumped', skewMs });
      },
      log: (level, message) => config.logger?.[level]({ event: 'timer' }, message),
    });
    this.sources = new CredentialSources(config);
    const childConfig = {
      ...config,
      candidates: this.sources,
      dispatch: (event: SupervisorEvent) => this.dispatch(event),
      onExit: (exit: { code: number | null; signal: string | null }) => this.emit('child-exit', exit),
      onServed: (served: { accessKeyId: string }) => this.emit('served', served),
      now: () => this.clock.now(),
      say: (level: 'info' | 'warn' | 'error', message: string) => this.say(level, message),
    };
    this.child = config.processes
      ? new ChildGroup({ ...childConfig, processes: config.processes, backoff: this.machine.backoff })
      : new ChildSlot({
          ...childConfig,
          onRotation: ({ previousKeyId, checkAt }) =>
            this.timers.armRotationCheck(checkAt, () => {
              if (this.child.stillOn(previousKeyId)) this.dispatch({ type: 'child-missed-rotation' });
            }),
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
    return this.withChildren(this.regionalStatus());
  }

  private regionalStatus(): StatusSnapshot {
    // Only once the set-up's facts are read: before, the region rule lacks the profile's region.
    if (!this.sources.context) return snapshotStatus(this.state, process.pid);
    const region = this.sources.chosenRegion(this.state.credentials?.candidateId);
    return snapshotStatus(this.state, process.pid, {
      name: region.region,
      from: describeRegionOrigin(region),
    });
  }

  /** With a Procfile: every process, as `status` lists them. */
  private withChildren(snapshot: StatusSnapshot): StatusSnapshot {
    return this.child instanceof ChildGroup ? { ...snapshot, children: this.child.describe() } : snapshot;
  }

  /** `cred-supervisor restart NAME`: one process of a Procfile, alone. */
  restartChild(name: string): Promise<string> {
    if (!(this.child instanceof ChildGroup)) {
      return Promise.reject(
        new Error('`restart NAME` needs a supervisor started with --procfile or `processes`.'),
      );
    }
    return this.child.restartOne(name);
  }

  /** The processes of a Procfile as `status` shows them; empty for one command. */
  children(): ChildStatus[] {
    return this.child instanceof ChildGroup ? this.child.describe() : [];
  }

  /** `r`, `cred-supervisor reload`, SIGUSR1: re-read credentials now. */
  reload(trigger: FreshCredentialsTrigger = 'reload', acceptAccount?: string): void {
    this.dispatch({
      type: 'fresh-credentials-available',
      trigger,
      ...(acceptAccount ? { acceptAccount } : {}),
    });
  }

  /**
   * A reload the person asked for (`r`, `cred-supervisor reload`): the verdict is said on the terminal
   * and resolves the promise: unchanged, fresh, or rejected and why. Never silence.
   */
  reloadAndAnswer(
    trigger: FreshCredentialsTrigger,
    waitMs = 15_000,
    acceptAccount?: string,
  ): Promise<string> {
    const answer = this.reloadAnswers.wait(waitMs);
    this.reload(trigger, acceptAccount);
    return answer;
  }

  /** Ctrl+C, `q`, SIGTERM, SIGHUP, `cred-supervisor stop`. A second request forces. */
  requestStop(reason: StopRequestReason, force = false): void {
    this.dispatch({ type: 'stop-requested', reason, ...(force ? { force } : {}) });
  }

  /** The `s` key: status line and countdown. */
  printCountdown(): void {
    for (const line of view.countdownLines(this.state, this.viewFacts(), this.clock.now()))
      this.narrate(line);
    // With a Procfile: every process, as `cred-supervisor status` lists them.
    for (const line of childLines(this.children(), new Date(this.clock.now()))) this.narrate(line);
  }

  /** Prints a line that is not the supervisor's (the demo's narration), with the same care. */
  narrate(text: string): void {
    this.child.mux.say(text);
  }

  /** Prints one of the supervisor's own lines without splitting a line of the child's. */
  say(level: 'info' | 'warn' | 'error', message: string): void {
    this.child.mux.say(`${view.PREFIX} ${message}`);
    this.config.logger?.[level]({ event: 'message' }, message);
  }

  private async setUp(): Promise<void> {
    const route = await this.child.route();
    // The route decides what the child is handed (compat/credential-route.ts), the machine follows it.
    this.machine.delivery = childDelivery(route, this.machine.delivery).delivery;
    if (route.kind === 'restart' && this.machine.delivery === 'endpoint') {
      this.machine.rotateByRestart = true;
      this.say('warn', route.why);
    }
    if (route.kind === 'profile' && route.from !== 'option') this.say('info', route.why);
    await this.child.open();
    await this.sources.open((change) =>
      this.dispatch({ type: 'fresh-credentials-available', trigger: change }),
    );
    this.timers.start(this.config.options.checkSchedule);
  }

  private ssoLoginInProgress = false;

  /** An SSO login launched for this supervisor waits for the person: the prompt asks for no other. */
  setSsoLoginInProgress(active: boolean): void {
    this.ssoLoginInProgress = active;
  }

  private profileHint(): view.ViewFacts['profileHint'] {
    const hint = this.sources.context?.profileHint;
    return hint && this.ssoLoginInProgress ? { ...hint, loginInProgress: true } : hint;
  }

  private viewFacts(): view.ViewFacts {
    const { options, command, interactive } = this.config;
    return {
      command,
      credentialsFile: options.credentialsFile,
      refreshBeforeMs: options.refreshBeforeMs,
      checkSchedule: options.checkSchedule,
      interactive,
      region: this.sources.regionFor(this.state.credentials?.candidateId),
      expectAccount: options.expectAccount,
      profileHint: this.profileHint(),
      sourceDescription: this.sources.context?.sourceDescription ?? options.credentialsFile,
    };
  }

  private async tearDown(): Promise<void> {
    this.timers.cancelAll();
    await this.sources.close();
    await this.child.close();
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
    const answer = this.reloadAnswers.verdict(event, before.credentials, this.clock.now());
    if (answer) this.say(answer.rejected ? 'warn' : 'info', answer.text);
    const { state, effects } = transition(before, event, { now: this.clock.now(), config: this.machine });
    this.state = state;
    const log = this.config.logger;
    log?.debug({ event: event.type, effects: effects.map((e) => e.type) }, 'transition');
    if (state.status !== before.status) {
      log?.info({ event: 'state', from: before.status, to: state.status }, `state ${state.status}`);
    }
    if (state.lastError && state.lastError !== before.lastError) {
      log?.warn({ event: 'last-error' }, state.lastError);
    }
    if (state.credentialsBroken && state.credentialsBroken !== before.credentialsBroken) {
      this.emit('credentials-expired', { kind: state.credentialsBroken });
    }
    for (const effect of effects) this.run1(effect);
    this.emit('state', this.status());
  }

  private run1<E extends Effect>(effect: E): void {
    (this.effects[effect.type] as (effect: E) => void)(effect);
  }

  /** One handler per effect; the mapped type makes a missing one a compile error. */
  private readonly effects: EffectHandlers = {
    'verify-candidate': ({ candidateId }) => this.answer(this.verifyCandidate(candidateId)),
    'probe-now': ({ candidateId }) => this.answer(this.sources.probe(candidateId)),
    'spawn-child': ({ candidateId }) => this.answer(this.child.spawn(candidateId)),
    'serve-credentials': ({ candidateId }) => this.child.serve(candidateId),
    'stop-child': ({ reason }) =>
      this.answer(
        this.child instanceof ChildGroup
          ? this.child.stop(reason)
          : this.child.stop(reason === 'credentials-needed'),
      ),
    'kill-child': () => this.child.forceStop(),
    'schedule-backoff': ({ purpose, delayMs }) => this.timers.scheduleBackoff(purpose, delayMs),
    'track-expiry': ({ expiresAt }) => this.timers.trackExpiry(expiresAt),
    'warn-expiring': ({ expiresAt }) =>
      this.say('warn', view.expiringWarning(expiresAt, this.viewFacts(), this.clock.now())),
    print: ({ level, message }) => this.say(level, message),
    'print-status': () => this.narrate(view.statusLine(this.state, this.clock.now())),
    'print-prompt': ({ reason }) => {
      this.narrate(view.promptText(this.state, reason, this.viewFacts(), this.clock.now()));
      // The full reason in the log: the prompt cuts a long one to fit the screen.
      const detail = describeReason(reason, this.clock.now());
      this.config.logger?.warn(
        { event: 'credentials-needed', reason: reason.kind, detail },
        'credentials needed',
      );
    },
    notify: ({ attention }) =>
      void notify(formatNotification(attention, this.config.command), {
        terminal: this.config.stderr,
        env: this.config.env,
        ...(this.config.options.notifyCommand ? { notifyCommand: this.config.options.notifyCommand } : {}),
        onError: (channel, error) =>
          this.config.logger?.warn({ event: 'notify-failed', channel, err: error }, 'notification failed'),
      }),
    exit: ({ code }) => this.finish(code),
  };

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

  private verifyCandidate(candidateId: number): Promise<SupervisorEvent> {
    const limitMs = resolveTimeoutMs(this.config.interactive);
    return this.sources.verify(candidateId, limitMs, (work, ms, onTimeout) =>
      this.timers.limit(work, ms, onTimeout),
    );
  }
}
