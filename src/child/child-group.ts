/**
 * The children of a multi-process `watch` (`--procfile`, config `processes`), as the orchestrator's
 * effects need them: the same surface as ChildSlot, so the state machine still sees one "child" (the
 * set) and keeps its rules. Inside the set, each child runs `sh -c` like foreman, in its own process
 * group with its own watchdog, its output prefixed `name | `; one endpoint serves them all. A crash
 * restarts only that child (its own backoff, its `restart` policy); the machine hears "child exited"
 * only once no child runs or waits to restart. A credential restart stops only the children that need
 * it (restart-selection.ts); an env-delivery child is restarted alone on each rotation. Each endpoint
 * child presents a token of its own, so the endpoint knows what each one last fetched: one that never
 * asked again after a rotation is restarted alone before its old credentials expire.
 */
import { readFile } from 'node:fs/promises';
import type { Delivery } from '../config/options.js';
import type { ChildEndpoint } from '../delivery/child-env.js';
import {
  type ClientToken,
  type CredentialEndpoint,
  startCredentialEndpoint,
} from '../delivery/credential-endpoint.js';
import { writeNeutralAwsConfig } from '../delivery/neutral-aws-config.js';
import { registerSecret } from '../logging/redact.js';
import { type ChildExitPlan, planChildExit } from '../procfile/child-exit-plan.js';
import { createLinePrefixer, type LinePrefixer } from '../procfile/line-prefixer.js';
import { buildPrefixes, prefixColour } from '../procfile/output-prefix.js';
import type { ProcessSpec } from '../procfile/process-spec.js';
import { selectRestart } from '../procfile/restart-selection.js';
import { OUTPUT_HELD_WARNING } from '../prompt/supervisor-view.js';
import { type BackoffPolicy, type CrashHistory, NO_CRASHES } from '../supervisor/backoff.js';
import type { StopChildReason, SupervisorEvent } from '../supervisor/types.js';
import type { ConsoleMux } from '../terminal/console-mux.js';
import { type RecordedGroup, type StartedChild, startChild } from './child-runner.js';
import { createChildMux } from './child-slot.js';
import {
  type Children,
  type ChildrenConfig,
  type ChildStatus,
  planRoute,
  type RoutePlan,
} from './children.js';
import {
  missedRotation,
  type OfferedKey,
  offeredKey,
  planRotationCheck,
  type RotationCheck,
} from './missed-rotation.js';
import { supervisedChildEnv } from './supervised-child-env.js';

export type { ChildStatus } from './children.js';

type ChildRunState = ChildStatus['state'];

export interface ChildGroupConfig extends ChildrenConfig {
  processes: readonly ProcessSpec[];
  backoff: BackoffPolicy;
  /** The groups after the first (for the state record, so a supervisor that dies leaves none behind). */
  onOtherChildGroups?: (groups: RecordedGroup[]) => void;
}

interface Member {
  spec: ProcessSpec;
  prefix: string;
  state: ChildRunState;
  child: StartedChild | undefined;
  group: RecordedGroup | undefined;
  restarts: number;
  startedAt: Date | undefined;
  history: CrashHistory;
  tainted: boolean;
  timer: NodeJS.Timeout | undefined;
  /** The exit that made it `exited`/`fatal`, for the machine's final "child exited". */
  lastExit: { code: number | null; signal: string | null } | undefined;
  /** Its start or stop in flight: the next must wait for it, or a child would escape. */
  busy: Promise<unknown>;
  /** The endpoint token of this spawn alone (endpoint delivery), revoked when it stops. */
  endpointClient: ClientToken | undefined;
  /** The key this spawn last fetched from the endpoint. */
  lastFetched: string | undefined;
}

export class ChildGroup implements Children {
  readonly mux: ConsoleMux;
  private readonly members: Member[];
  private force = new AbortController();
  private endpoint: CredentialEndpoint | undefined;
  private candidateId: number | undefined;
  /** What the endpoint serves now, to tell a rotation from the same key served again. */
  private served: OfferedKey | undefined;
  /** The machine asked for the whole set to stop: no exit may restart anything now. */
  private halted = false;

  constructor(private readonly config: ChildGroupConfig) {
    this.mux = createChildMux(config);
    const prefixes = buildPrefixes(
      config.processes.map((p) => p.name),
      { colour: prefixColour(config.env, config.stdout.isTTY === true) },
    );
    this.members = config.processes.map((spec) => ({
      spec,
      prefix: prefixes.get(spec.name) ?? `${spec.name} | `,
      state: 'stopped',
      child: undefined,
      group: undefined,
      restarts: 0,
      startedAt: undefined,
      history: NO_CRASHES,
      tainted: false,
      timer: undefined,
      lastExit: undefined,
      busy: Promise.resolve(),
      endpointClient: undefined,
      lastFetched: undefined,
    }));
  }

  private deliveryOf(member: Member): Delivery {
    return member.spec.delivery ?? this.config.options.delivery;
  }

  async open(): Promise<void> {
    if (!this.members.some((m) => this.deliveryOf(m) === 'endpoint')) return;
    const { options, leaseMs, logger } = this.config;
    this.endpoint = await startCredentialEndpoint({
      stateDir: options.stateDir,
      ...(leaseMs ? { leaseMs } : {}),
    });
    registerSecret(await readFile(this.endpoint.tokenFile, 'utf8').catch(() => undefined));
    this.endpoint.on('request', (request) => {
      if (request.accessKeyId) {
        this.config.onServed({ accessKeyId: request.accessKeyId });
        const member = this.members.find((m) => m.endpointClient && m.endpointClient.id === request.client);
        if (member) member.lastFetched = request.accessKeyId;
      }
      logger?.debug({ event: 'endpoint-request', status: request.status }, 'endpoint request');
    });
  }

  async close(): Promise<void> {
    this.halted = true;
    await this.stopMembers(this.members);
    await this.endpoint?.close();
    this.mux.flush();
  }

  /** Each command is the person's shell line: the set is served through the endpoint as configured. */
  async route(): Promise<RoutePlan> {
    const route = {
      kind: 'endpoint',
      client: 'each process',
      why: 'every process asks the one endpoint',
    } as const;
    return planRoute(route, this.config.options.delivery);
  }

  /** The machine's spawn: starts the children a restart stopped, or all when none is left. */
  async spawn(candidateId: number): Promise<SupervisorEvent> {
    this.halted = false;
    this.force = new AbortController();
    this.candidateId = candidateId;
    await this.prepareEndpoint(candidateId);
    const stopped = this.members.filter((m) => m.state === 'stopped');
    const alive = this.members.some((m) => m.state === 'running' || m.state === 'backoff');
    const targets = stopped.length > 0 || alive ? stopped : this.members;
    await Promise.all(targets.map((m) => this.startMember(m, candidateId)));
    const first = this.members.find((m) => m.child);
    if (!first?.child) {
      return {
        type: 'child-spawn-failed',
        message: 'none of the processes could be started; see the lines above.',
      };
    }
    return { type: 'child-started', pid: first.child.pid };
  }

  serve(candidateId: number): void {
    this.candidateId = candidateId;
    this.offer(candidateId);
    // Variables are fixed at spawn: an env-delivery child gets new ones only by a restart, alone.
    for (const member of this.members) {
      if (this.deliveryOf(member) === 'env' && member.state === 'running') {
        this.config.say(
          'info',
          `restarting \`${member.spec.name}\` alone: it took its credentials as variables.`,
        );
        void this.restartMember(member, candidateId);
      }
    }
  }

  async stop(reason: StopChildReason): Promise<SupervisorEvent> {
    if (reason === 'credentials-needed') {
      this.endpoint?.serve(null, 'cred-supervisor is waiting for fresh credentials.');
    }
    if (reason === 'restart') {
      const names = new Set(
        selectRestart(
          this.members
            .filter((m) => m.state === 'running' || m.state === 'starting')
            .map((m) => ({
              name: m.spec.name,
              tainted: m.tainted,
              envDelivery: this.deliveryOf(m) === 'env',
            })),
        ),
      );
      await this.stopMembers(this.members.filter((m) => names.has(m.spec.name)));
      return { type: 'child-stopped' };
    }
    this.halted = true;
    await this.stopMembers(this.members);
    return { type: 'child-stopped' };
  }

  forceStop(): void {
    this.force.abort();
  }

  /** `cred-supervisor restart NAME`: that child alone, now, whatever state it is in. */
  async restartOne(name: string): Promise<string> {
    const member = this.members.find((m) => m.spec.name === name);
    if (!member) {
      const names = this.members.map((m) => m.spec.name).join(', ');
      throw new Error(`No process is named \`${name}\`; the processes are: ${names}.`);
    }
    if (this.candidateId === undefined || this.halted) {
      throw new Error(`\`${name}\` cannot be restarted now: the supervisor is not running its processes.`);
    }
    member.history = NO_CRASHES;
    await this.restartMember(member, this.candidateId);
    return `Restarted \`${name}\`${member.child ? ` (pid ${member.child.pid})` : ''}.`;
  }

  describe(): ChildStatus[] {
    return this.members.map((m) => ({
      name: m.spec.name,
      pid: m.child?.pid ?? null,
      pgid: m.child?.pgid ?? null,
      state: m.state,
      restarts: m.restarts,
      startedAt: m.startedAt?.toISOString() ?? null,
    }));
  }

  private async prepareEndpoint(candidateId: number): Promise<void> {
    if (!this.endpoint) return;
    const region = this.config.candidates.regionFor(candidateId);
    await writeNeutralAwsConfig({ dir: this.config.options.stateDir, ...(region ? { region } : {}) });
    this.offer(candidateId);
  }

  /**
   * Serves `candidateId` on the endpoint. New keys are a rotation for the children still running
   * (a restart restarts only some): just before the old ones expire, those that never asked again
   * are restarted alone.
   */
  private offer(candidateId: number): void {
    const resolved = this.config.candidates.get(candidateId);
    if (!this.endpoint || !resolved) return;
    this.endpoint.serve(resolved.credentials);
    const previous = this.served;
    this.served = offeredKey(resolved.credentials);
    const check = planRotationCheck(previous, this.served, this.config.now());
    if (check) this.config.armRotationCheck(check.checkAt, () => this.restartMissed(check));
  }

  private restartMissed(check: RotationCheck): void {
    if (this.halted || this.candidateId === undefined) return;
    for (const member of this.members) {
      const child = { running: member.state === 'running', lastFetched: member.lastFetched };
      if (!missedRotation(check, child)) continue;
      this.config.say(
        'warn',
        `restarting \`${member.spec.name}\` alone: it never asked for the new credentials, and the ones it holds expire soon.`,
      );
      void this.restartMember(member, this.candidateId);
    }
  }

  private reportGroups(): void {
    const [first = null, ...others] = this.members.flatMap((m) => (m.child && m.group ? [m.group] : []));
    this.config.onChildGroup?.(first);
    this.config.onOtherChildGroups?.(others);
  }

  /** A mux that prefixes this child's lines: child-runner writes through it unchanged. */
  private prefixedMux(member: Member): ConsoleMux {
    const prefixers: Record<'stdout' | 'stderr', LinePrefixer> = {
      stdout: createLinePrefixer(member.prefix, this.mux.sink('stdout')),
      stderr: createLinePrefixer(member.prefix, this.mux.sink('stderr')),
    };
    return {
      child: (stream, chunk) => prefixers[stream].write(chunk),
      sink: (stream) => prefixers[stream],
      say: (text) => this.mux.say(text),
      flush: () => {
        prefixers.stdout.flush();
        prefixers.stderr.flush();
        this.mux.flush();
      },
    };
  }

  private startMember(member: Member, candidateId: number): Promise<void> {
    const work = member.busy.then(() => this.doStart(member, candidateId));
    member.busy = work.catch(() => undefined);
    return work;
  }

  private async doStart(member: Member, candidateId: number): Promise<void> {
    if (member.child || this.halted) return;
    const { logger } = this.config;
    const { spec } = member;
    member.state = 'starting';
    member.tainted = false;
    clearTimeout(member.timer);
    member.timer = undefined;
    try {
      const endpoint = await this.endpointFor(member);
      const child = await startChild({
        command: ['sh', '-c', spec.command],
        cwd: spec.cwd ?? this.config.cwd,
        env: supervisedChildEnv(this.config, candidateId, { delivery: this.deliveryOf(member) }, endpoint),
        mux: this.prefixedMux(member),
        onGroup: (group) => {
          member.group = group;
        },
        onErrorLine: (kind) => {
          member.tainted = true;
          logger?.info(
            { event: 'output-error-line', kind, process: spec.name },
            `credential error in the output of ${spec.name}: ${kind}`,
          );
          this.config.dispatch({ type: 'output-error-line', kind });
        },
        watchdog: this.config.watchdog !== false,
        removeIfSupervisorDies: this.config.removeIfSupervisorDies,
      });
      member.child = child;
      member.state = 'running';
      member.startedAt = child.startedAt;
      this.reportGroups();
      logger?.info({ event: 'child-started', childPid: child.pid, process: spec.name }, 'child started');
      void child.exited.then(({ exitCode, signal }) => this.onMemberExit(member, child, exitCode, signal));
    } catch (error) {
      await this.revokeEndpointClient(member);
      member.state = 'fatal';
      member.lastExit = { code: 127, signal: null };
      this.config.say('error', `\`${spec.name}\` could not start: ${(error as Error).message}`);
    }
  }

  /**
   * An endpoint child's URL and a token of this spawn's own, so its fetches are told apart from the
   * others' (and a token of an earlier spawn no longer works); nothing fetched yet.
   */
  private async endpointFor(member: Member): Promise<ChildEndpoint | undefined> {
    await this.revokeEndpointClient(member);
    member.lastFetched = undefined;
    if (!this.endpoint || this.deliveryOf(member) !== 'endpoint') return undefined;
    member.endpointClient = await this.endpoint.issueClientToken();
    return { url: this.endpoint.url, tokenFile: member.endpointClient.tokenFile };
  }

  private async revokeEndpointClient(member: Member): Promise<void> {
    const client = member.endpointClient;
    member.endpointClient = undefined;
    await client?.revoke();
  }

  private async stopMembers(members: readonly Member[]): Promise<void> {
    await Promise.all(
      members.map((member) => {
        clearTimeout(member.timer);
        member.timer = undefined;
        const work = member.busy.then(() => this.doStop(member));
        member.busy = work.catch(() => undefined);
        return work;
      }),
    );
  }

  private async doStop(member: Member, next: ChildRunState = 'stopped'): Promise<void> {
    const child = member.child;
    if (child) {
      member.child = undefined;
      const { outputHeld } = await child.stop(this.config.options.stopGraceMs, this.force.signal);
      if (outputHeld) this.config.say('warn', `${member.spec.name}: ${OUTPUT_HELD_WARNING}`);
      this.reportGroups();
    }
    await this.revokeEndpointClient(member);
    member.state = next;
  }

  private async restartMember(member: Member, candidateId: number): Promise<void> {
    member.restarts += 1;
    await this.stopMembers([member]);
    await this.startMember(member, candidateId);
  }

  private onMemberExit(
    member: Member,
    child: StartedChild,
    code: number | null,
    signal: string | null,
  ): void {
    // Stopped by us (or already replaced): not a crash.
    if (member.child !== child) return;
    const { logger } = this.config;
    logger?.info({ event: 'child-exited', code, signal, process: member.spec.name }, 'child exited');
    this.config.onExit({ code, signal });
    const now = this.config.now();
    const plan: ChildExitPlan = planChildExit(
      {
        name: member.spec.name,
        code,
        signal,
        restart: member.spec.restart,
        history: member.history,
        now,
        ranForMs: now - child.startedAt.getTime(),
      },
      this.config.backoff,
    );
    const level = plan.kind === 'fatal' ? 'error' : plan.kind === 'restart' ? 'warn' : 'info';
    this.config.say(level, plan.message);
    // Reap what is left of its group and deliver its last output before deciding.
    const reap = member.busy.then(() => this.doStop(member, plan.kind === 'restart' ? 'backoff' : plan.kind));
    member.busy = reap.catch(() => undefined);
    void reap.then(() => {
      if (this.halted) return;
      switch (plan.kind) {
        case 'restart':
          member.history = plan.history;
          member.state = 'backoff';
          member.timer = setTimeout(() => {
            member.timer = undefined;
            member.restarts += 1;
            if (this.candidateId !== undefined) void this.startMember(member, this.candidateId);
          }, plan.delayMs);
          return;
        case 'exited':
        case 'fatal':
          member.state = plan.kind;
          member.lastExit = { code, signal };
          this.reportSetDone();
          return;
        default: {
          const unknown: never = plan;
          throw new Error(`Unknown plan ${JSON.stringify(unknown)}`);
        }
      }
    });
  }

  /** No child runs or waits to restart: the set has exited, which the machine decides about. */
  private reportSetDone(): void {
    const done = this.members.every((m) => m.state === 'exited' || m.state === 'fatal');
    if (!done) return;
    const failed = this.members.find((m) => m.lastExit && (m.lastExit.code !== 0 || m.lastExit.signal));
    const exit = failed?.lastExit ?? { code: 0, signal: null };
    this.config.dispatch({ type: 'child-exited', code: exit.code, signal: exit.signal });
  }
}
