/**
 * The orchestrator: feeds events (STS answers, child lifecycle, timers, file changes, keys, control
 * requests) to the pure state machine and carries out the effects it returns, in order, through one
 * handler per effect. It decides nothing itself; every rule lives in the transitions, every text in
 * prompt/supervisor-view.ts, every timer in timers/supervisor-timers.ts, and whether it runs one
 * command or a Procfile's set is hidden behind child/children.ts.
 */
import { EventEmitter } from 'node:events';
import type { Children, ChildStatus } from '../child/children.js';
import { createChildren } from '../child/create-children.js';
import { CredentialSources } from '../credentials/credential-sources.js';
import { callForAttention } from '../prompt/call-for-attention.js';
import { ReloadAnswers } from '../prompt/reload-answer.js';
import * as view from '../prompt/supervisor-view.js';
import type { Clock } from '../timers/clock.js';
import { SupervisorTimers } from '../timers/supervisor-timers.js';
import { serialQueue } from './serial-queue.js';
import { createInitialState, transition } from './state-machine.js';
import { type StatusSnapshot, snapshotStatus } from './status-snapshot.js';
import {
  attentionChannels,
  clockFor,
  machineConfig,
  resolveTimeoutMs,
  type SupervisorConfig,
  type SupervisorEvents,
} from './supervisor-config.js';
import { timerEvents } from './timer-events.js';
import { transitionLog } from './transition-log.js';
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
  private readonly child: Children;
  /** Events are handled one at a time, in order; effects that answer later enqueue new events. */
  private readonly dispatch = serialQueue<SupervisorEvent>((event) => this.handle(event));
  private readonly reloadAnswers = new ReloadAnswers();
  private finish!: (code: number) => void;
  /** Created up front: a stop request can decide the exit before `run()` is awaited. */
  private readonly exitCode = new Promise<number>((resolve) => {
    this.finish = resolve;
  });

  constructor(private readonly config: SupervisorConfig) {
    super();
    this.clock = clockFor(config);
    this.machine = machineConfig(config);
    this.timers = new SupervisorTimers<BackoffPurpose>(this.clock, this.machine.refreshBeforeMs, {
      ...timerEvents(this.machine, this.dispatch, (skewMs) => this.emit('clock-jumped', skewMs)),
      log: (level, message) => config.logger?.[level]({ event: 'timer' }, message),
    });
    this.sources = new CredentialSources(config);
    this.child = createChildren({
      ...config,
      backoff: this.machine.backoff,
      candidates: this.sources,
      dispatch: this.dispatch,
      onExit: (exit) => this.emit('child-exit', exit),
      onServed: (served) => this.emit('served', served),
      armRotationCheck: (checkAt, check) => this.timers.armRotationCheck(checkAt, check),
      now: () => this.clock.now(),
      say: (level, message) => this.say(level, message),
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
    // The region only once the set-up's facts are read: before, the rule lacks the profile's region.
    const region = this.sources.context && this.sources.chosenRegion(this.state.credentials?.candidateId);
    return snapshotStatus(this.state, process.pid, { region, children: this.child.describe() });
  }

  /** `cred-supervisor restart NAME`: one process of a Procfile, alone. */
  restartChild(name: string): Promise<string> {
    return this.child.restartOne(name);
  }

  /** The processes of a Procfile as `status` shows them; empty for one command. */
  children(): ChildStatus[] {
    return this.child.describe() ?? [];
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
    const now = this.clock.now();
    for (const line of view.countdownLines(this.state, this.viewFacts(), now, this.children()))
      this.narrate(line);
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
    // The route decides what the child is handed; the machine follows it.
    const route = await this.child.route();
    this.machine.delivery = route.delivery;
    if (route.rotateByRestart) this.machine.rotateByRestart = true;
    if (route.note) this.say(route.note.level, route.note.text);
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

  private viewFacts(): view.ViewFacts {
    const region = this.sources.regionFor(this.state.credentials?.candidateId);
    return view.viewFacts(this.config, this.sources.context, {
      region,
      ssoLoginInProgress: this.ssoLoginInProgress,
    });
  }

  private async tearDown(): Promise<void> {
    this.timers.cancelAll();
    await this.sources.close();
    await this.child.close();
  }

  private handle(event: SupervisorEvent): void {
    const before = this.state;
    const answer = this.reloadAnswers.verdict(event, before.credentials, this.clock.now());
    if (answer) this.say(answer.rejected ? 'warn' : 'info', answer.text);
    const { state, effects } = transition(before, event, { now: this.clock.now(), config: this.machine });
    this.state = state;
    for (const entry of transitionLog(event, before, state, effects))
      this.config.logger?.[entry.level](entry.fields, entry.message);
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
    'stop-child': ({ reason }) => this.answer(this.child.stop(reason)),
    'kill-child': () => this.child.forceStop(),
    'schedule-backoff': ({ purpose, delayMs }) => this.timers.scheduleBackoff(purpose, delayMs),
    'track-expiry': ({ expiresAt }) => this.timers.trackExpiry(expiresAt),
    'warn-expiring': ({ expiresAt }) =>
      this.say('warn', view.expiringWarning(expiresAt, this.viewFacts(), this.clock.now())),
    print: ({ level, message }) => this.say(level, message),
    'print-status': () => this.narrate(view.statusLine(this.state, this.clock.now())),
    'print-prompt': ({ reason }) => {
      this.narrate(view.promptText(this.state, reason, this.viewFacts(), this.clock.now()));
      this.config.logger?.warn(view.promptLogFields(reason, this.clock.now()), 'credentials needed');
    },
    notify: ({ attention }) =>
      callForAttention(view.notificationText(attention, this.config), attentionChannels(this.config)),
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
