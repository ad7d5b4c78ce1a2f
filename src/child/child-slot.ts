/**
 * The one child `watch` runs at a time, as the orchestrator's effects need it: spawn it with the
 * credentials verified as a candidate (environment per delivery mode, the endpoint serving them), serve
 * it new ones, stop it (waiting for a spawn still in flight, so nothing escapes), force the stop, and
 * report its exit as a machine event. With endpoint delivery it also owns the endpoint the child asks,
 * and after a rotation checks (on the orchestrator's timer) that the child moved on to the new keys.
 */
import { readFile } from 'node:fs/promises';
import { inspectCommand } from '../compat/inspect-command.js';
import type { Delivery } from '../config/options.js';
import { type CredentialEndpoint, startCredentialEndpoint } from '../delivery/credential-endpoint.js';
import { writeNeutralAwsConfig } from '../delivery/neutral-aws-config.js';
import { registerSecret } from '../logging/redact.js';
import { OUTPUT_HELD_WARNING } from '../prompt/supervisor-view.js';
import type { StopChildReason, SupervisorEvent } from '../supervisor/types.js';
import { type ConsoleMux, createConsoleMux } from '../terminal/console-mux.js';
import { type StartedChild, startChild } from './child-runner.js';
import { type Children, type ChildrenConfig, planRoute, type RoutePlan } from './children.js';
import { missedRotation, type OfferedKey, offeredKey, planRotationCheck } from './missed-rotation.js';
import { supervisedChildEnv } from './supervised-child-env.js';

/**
 * The mux for the supervised output. The child's stdout shares our lines' destination only on one
 * terminal or with `2>&1`; redirected elsewhere, it stays byte-exact.
 */
export function createChildMux(
  config: Pick<ChildrenConfig, 'stdout' | 'stderr' | 'sharedOutput'>,
): ConsoleMux {
  const shared = config.sharedOutput ?? (config.stdout.isTTY === true && config.stderr.isTTY === true);
  return createConsoleMux({
    stdout: config.stdout,
    stderr: config.stderr,
    sharedScreen: shared ? ['stdout', 'stderr'] : ['stderr'],
  });
}

export class ChildSlot implements Children {
  readonly mux: ConsoleMux;
  private child: StartedChild | undefined;
  /** The spawn in flight: a stop that comes meanwhile must wait for it, or the child would escape. */
  private spawning: Promise<unknown> | undefined;
  private force = new AbortController();
  private endpoint: CredentialEndpoint | undefined;
  /** What the endpoint serves now, and the key the child last fetched from it. */
  private served: OfferedKey | undefined;
  private lastFetched: string | undefined;
  /** What the child is handed: `--delivery`, unless the route says it reads a profile itself. */
  private delivery: { delivery: Delivery; profile?: string | undefined };

  constructor(private readonly config: ChildrenConfig) {
    this.delivery = { delivery: config.options.delivery };
    this.mux = createChildMux(config);
  }

  /** With endpoint delivery, starts the endpoint the child's SDK will ask (serving nothing yet). */
  async open(): Promise<void> {
    const { options, leaseMs, logger } = this.config;
    if (this.delivery.delivery !== 'endpoint') return;
    this.endpoint = await startCredentialEndpoint({
      stateDir: options.stateDir,
      ...(leaseMs ? { leaseMs } : {}),
    });
    registerSecret(await readFile(this.endpoint.tokenFile, 'utf8').catch(() => undefined));
    this.endpoint.on('request', (request) => {
      if (request.accessKeyId) {
        this.lastFetched = request.accessKeyId;
        this.config.onServed({ accessKeyId: request.accessKeyId });
      }
      logger?.debug({ event: 'endpoint-request', status: request.status }, 'endpoint request');
    });
  }

  /** After the child is gone. */
  async close(): Promise<void> {
    await this.spawning;
    await this.stopCurrent();
    await this.endpoint?.close();
    this.mux.flush();
  }

  /**
   * How the command will get credentials (the CDK CLI's version, a profile it names itself); decides
   * what the child is handed, so call it before `open`.
   */
  async route(): Promise<RoutePlan> {
    const { options, env, command, cwd } = this.config;
    const { route } = await inspectCommand({
      command,
      cwd,
      env,
      delivery: options.delivery,
      profile: options.profile ?? env.AWS_PROFILE,
    });
    this.config.logger?.info({ event: 'credential-route', route: route.kind }, route.why);
    const plan = planRoute(route, options.delivery);
    this.delivery = { delivery: plan.delivery, profile: plan.profile };
    return plan;
  }

  spawn(candidateId: number): Promise<SupervisorEvent> {
    const spawned = this.doSpawn(candidateId);
    const settled = spawned.then(
      () => undefined,
      () => undefined,
    );
    this.spawning = settled;
    void settled.then(() => {
      if (this.spawning === settled) this.spawning = undefined;
    });
    return spawned;
  }

  serve(candidateId: number): void {
    const resolved = this.config.candidates.get(candidateId);
    if (!this.endpoint || !resolved) return;
    this.endpoint.serve(resolved.credentials);
    const previous = this.served;
    this.served = offeredKey(resolved.credentials);
    const check = planRotationCheck(previous, this.served, this.config.now());
    if (!check) return;
    this.config.armRotationCheck(check.checkAt, () => {
      const child = { running: this.child !== undefined, lastFetched: this.lastFetched };
      if (missedRotation(check, child)) this.config.dispatch({ type: 'child-missed-rotation' });
    });
  }

  async stop(reason: StopChildReason): Promise<SupervisorEvent> {
    if (reason === 'credentials-needed') {
      this.endpoint?.serve(null, 'cred-supervisor is waiting for fresh credentials.');
    }
    // Asked while the child is still being spawned (Ctrl+C right at the start): stop it once it exists.
    await this.spawning;
    await this.stopCurrent();
    return { type: 'child-stopped' };
  }

  /** Second stop request: SIGKILL the group now. */
  forceStop(): void {
    this.force.abort();
  }

  /** One command: `status` lists no processes. */
  describe(): undefined {
    return undefined;
  }

  restartOne(): Promise<string> {
    return Promise.reject(
      new Error('`restart NAME` needs a supervisor started with --procfile or `processes`.'),
    );
  }

  private async stopCurrent(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const { outputHeld } = await child.stop(this.config.options.stopGraceMs, this.force.signal);
    this.child = undefined;
    this.config.onChildGroup?.(null);
    if (outputHeld) this.config.say('warn', OUTPUT_HELD_WARNING);
  }

  private async doSpawn(candidateId: number): Promise<SupervisorEvent> {
    const { options, logger } = this.config;
    try {
      if (this.delivery.delivery === 'endpoint') {
        // A new child: nothing fetched yet, and its first credentials are no rotation.
        this.served = undefined;
        this.lastFetched = undefined;
        const region = this.config.candidates.regionFor(candidateId);
        await writeNeutralAwsConfig({ dir: options.stateDir, ...(region ? { region } : {}) });
        this.serve(candidateId);
      }
      this.force = new AbortController();
      const child = await startChild({
        command: this.config.command,
        cwd: this.config.cwd,
        env: supervisedChildEnv(this.config, candidateId, this.delivery, this.endpoint),
        mux: this.mux,
        onGroup: (group) => this.config.onChildGroup?.(group),
        onErrorLine: (kind) => {
          logger?.info({ event: 'output-error-line', kind }, `credential error in output: ${kind}`);
          this.config.dispatch({ type: 'output-error-line', kind });
        },
        watchdog: this.config.watchdog !== false,
        removeIfSupervisorDies: this.config.removeIfSupervisorDies,
      });
      this.child = child;
      for (const warning of child.warnings) this.config.say('warn', warning);
      logger?.info(
        { event: 'child-started', childPid: child.pid, command: this.config.command[0] },
        'child started',
      );
      void child.exited.then(({ exitCode, signal }) => {
        logger?.info({ event: 'child-exited', code: exitCode, signal }, 'child exited');
        this.config.onExit({ code: exitCode, signal });
        // Once its stop has completed, the machine may already have started the next child: an exit
        // reported now would be taken for that one's crash.
        if (this.child === child) this.config.dispatch({ type: 'child-exited', code: exitCode, signal });
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
}
