/**
 * `cred-supervisor demo`: the whole loop on this machine, no AWS account and no network. A local STS
 * stand-in on 127.0.0.1 issues short-lived keys; a real SDK program plays `cdk watch`; the real
 * Supervisor runs it. The demo plays the person: it rotates a key, lets one run out, revokes one, and
 * writes fresh credentials when the supervisor asks, narrating each step.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultOptions, type SupervisorOptions } from '../config/options.js';
import type { StatusSnapshot } from '../control/status.js';
import { Supervisor, type TerminalStream } from '../supervisor/supervisor.js';
import { exportLines } from './export-lines.js';
import { LocalSts, type LocalStsKey } from './local-sts.js';

export interface DemoIo {
  stdout: TerminalStream;
  stderr: TerminalStream;
  /** Where signals come from (the real process; tests pass an emitter). */
  signals?: NodeJS.EventEmitter;
}

export interface DemoTiming {
  /** Lifetime of the key that is left to run out. */
  expiringKeyTtlMs: number;
  refreshBeforeMs: number;
  /** How long "the person" takes to answer a prompt. */
  personDelayMs: number;
  childIntervalMs: number;
}

export const DEFAULT_DEMO_TIMING: DemoTiming = {
  expiringKeyTtlMs: 16_000,
  refreshBeforeMs: 8_000,
  personDelayMs: 2_500,
  childIntervalMs: 1_000,
};

/** For the test suite (CRED_SUPERVISOR_DEMO_SPEED=fast): the same story in a few seconds. */
export const FAST_DEMO_TIMING: DemoTiming = {
  expiringKeyTtlMs: 7_000,
  refreshBeforeMs: 4_000,
  personDelayMs: 300,
  childIntervalMs: 300,
};

const BOLD = (text: string, color: boolean) => (color ? `\x1b[1;36m${text}\x1b[0m` : text);

/** Written beside the file and renamed over it, as careful tools (and editors) do. */
async function writeCredentials(file: string, key: LocalStsKey): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, exportLines(key), { mode: 0o600 });
  await rename(temp, file);
}

const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;

/** Resolves with the first status snapshot that matches. */
function waitForState(
  supervisor: Supervisor,
  match: (s: StatusSnapshot) => boolean,
): Promise<StatusSnapshot> {
  const now = supervisor.status();
  if (match(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const listener = (snapshot: StatusSnapshot) => {
      if (!match(snapshot)) return;
      supervisor.off('state', listener);
      resolve(snapshot);
    };
    supervisor.on('state', listener);
  });
}

/**
 * The terminal stream the program's output goes to, with a way to wait until a text has been printed
 * on it (the narration must follow the program's line, not run ahead of it).
 */
function watchedOutput(target: TerminalStream): {
  stream: TerminalStream;
  printed(text: string, timeoutMs?: number): Promise<void>;
  /** Printed by now (within the last 4 KiB). */
  shows(text: string): boolean;
} {
  let recent = '';
  const waiters = new Set<{ text: string; done: () => void }>();
  const stream: TerminalStream = {
    isTTY: target.isTTY,
    once: (event, listener) => target.once(event, listener),
    write(chunk) {
      const written = target.write(chunk);
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      recent = (recent + text).slice(-4096);
      for (const waiter of waiters) {
        if (recent.includes(waiter.text)) {
          waiters.delete(waiter);
          waiter.done();
        }
      }
      return written;
    },
  };
  const printed = (text: string, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      if (recent.includes(text)) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`the program did not print "${text}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        text,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      waiters.add(waiter);
    });
  return { stream, printed, shows: (text) => recent.includes(text) };
}

/** The demo's probe schedule: every 5 s, on the wall clock. */
const PROBE_EVERY_MS = 5000;

/**
 * How long to wait so a key revoked now is found by the program's own failing call (every 300 ms),
 * not by the scheduled probe: from half a second after a probe tick (a tick may run late on a busy
 * machine) to two and a half seconds after it.
 */
export function msUntilFarFromProbe(now: number): number {
  const phase = now % PROBE_EVERY_MS;
  return phase >= 500 && phase < 2500 ? 0 : (500 - phase + PROBE_EVERY_MS) % PROBE_EVERY_MS;
}

function childScript(): string {
  // Through `../demo/`: the bundle puts this code in dist/chunks/, the child stays dist/demo/demo-child.js.
  return fileURLToPath(new URL('../demo/demo-child.js', import.meta.url));
}

/** An environment with nothing of the person's AWS set-up in it: the demo must never touch real AWS. */
function isolatedEnv(
  base: NodeJS.ProcessEnv,
  home: string,
  stsUrl: string,
  intervalMs: number,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (!/^(AWS_|AMAZON_|CDK_)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_STS: stsUrl,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    DEMO_CHILD_INTERVAL_MS: String(intervalMs),
  };
}

export async function runDemo(io: DemoIo, timing: DemoTiming = DEFAULT_DEMO_TIMING): Promise<number> {
  const color = io.stderr.isTTY === true;
  const started = Date.now();
  const project = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-demo-'));
  const sts = await LocalSts.start();
  const options: SupervisorOptions = {
    ...defaultOptions(project),
    refreshBeforeMs: timing.refreshBeforeMs,
    checkSchedule: `*/${PROBE_EVERY_MS / 1000} * * * * *`,
    stopGraceMs: 2_000,
  };
  const { mkdir } = await import('node:fs/promises');
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const command = [process.execPath, childScript()];
  const appOutput = watchedOutput(io.stdout);
  const supervisor = new Supervisor({
    options,
    command,
    cwd: project,
    env: isolatedEnv(process.env, project, sts.url, timing.childIntervalMs),
    stdout: appOutput.stream,
    stderr: io.stderr,
    interactive: false,
    // A one-second lease: the demo shows a rotation reaching the running child within seconds.
    leaseMs: 1_000,
    verifyOptions: { endpoint: sts.url },
  });
  const say = (text: string) => supervisor.narrate(`${BOLD('demo ▸', color)} ${text}`);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const file = options.credentialsFile;
  // The supervisor's own verification is the first request signed with a key; the program's follow.
  const usedByProgram = (key: LocalStsKey) =>
    sts.waitForRequest(
      (r) =>
        r.accessKeyId === key.accessKeyId && r.status === 200 && sts.requestsBy(key.accessKeyId).length >= 2,
      20_000,
    );

  const onSignal = () => supervisor.requestStop('sigint');
  io.signals?.on('SIGINT', onSignal);
  const key1 = sts.issueKey({ ttlMs: 60 * 60_000 });
  await writeCredentials(file, key1);
  say(`A local STS runs on ${sts.url}; nothing leaves this machine.`);
  say(`Key 1 (${mask(key1.accessKeyId)}) written to ${file}`);
  say('Starting the supervisor on a small SDK program that plays `cdk watch`...');
  const running = supervisor.run();
  let code = 0;
  let finished = false;
  try {
    const script = async () => {
      const first = await waitForState(supervisor, (s) => s.state === 'running' && s.child.pid !== null);
      // The supervisor's own verification is the first request signed with key 1; the program's follow.
      await sts.waitForRequest(
        (r) => r.accessKeyId === key1.accessKeyId && sts.requestsBy(key1.accessKeyId).length >= 2,
        15_000,
      );

      say(BOLD('1. Rotation without a restart.', color));
      const key2 = sts.issueKey({ ttlMs: timing.expiringKeyTtlMs });
      say(
        `Writing key 2 (${mask(key2.accessKeyId)}, valid ${timing.expiringKeyTtlMs / 1000} s) to the file,`,
      );
      say('as `aws configure export-credentials --format env > FILE` would.');
      await writeCredentials(file, key2);
      await usedByProgram(key2);
      // Narrated once the program's own line shows key 2, not merely when STS saw it: in that order.
      await appOutput.printed(`signed with ${mask(key2.accessKeyId)}`);
      say(
        `The running program now signs with key 2; same pid ${first.child.pid}: served by the loopback endpoint.`,
      );

      say(BOLD('2. Credentials about to expire, nothing fresher to be had.', color));
      say(
        `With --refresh-before ${timing.refreshBeforeMs / 1000}s the supervisor acts before the key runs out...`,
      );
      await waitForState(supervisor, (s) => s.state === 'waiting-for-credentials');
      await sleep(timing.personDelayMs);
      const key3 = sts.issueKey({ ttlMs: 60 * 60_000 });
      say(`(the person) writes fresh credentials, key 3 (${mask(key3.accessKeyId)})`);
      await writeCredentials(file, key3);
      const second = await waitForState(
        supervisor,
        (s) => s.state === 'running' && s.child.pid !== null && s.child.pid !== first.child.pid,
      );
      say(`Verified and restarted: new pid ${second.child.pid}.`);
      await usedByProgram(key3);

      say(BOLD('3. A key revoked behind our back.', color));
      say('Revoking key 3 at STS (as when a role session is revoked); it would have been valid for an hour.');
      await sleep(msUntilFarFromProbe(Date.now()));
      sts.revokeKey(key3.accessKeyId);
      await waitForState(supervisor, (s) => s.state === 'waiting-for-credentials');
      say(
        appOutput.shows('failed: InvalidClientTokenId')
          ? 'The program printed InvalidClientTokenId; the supervisor confirmed it with STS and stopped it.'
          : "The supervisor's scheduled STS probe found the key refused first, and stopped the program.",
      );
      await sleep(timing.personDelayMs);
      const key4 = sts.issueKey({ ttlMs: 60 * 60_000 });
      say(`(the person) writes key 4 (${mask(key4.accessKeyId)})`);
      await writeCredentials(file, key4);
      const third = await waitForState(
        supervisor,
        (s) => s.state === 'running' && s.child.pid !== null && s.child.pid !== second.child.pid,
      );
      await usedByProgram(key4);
      say(`Running again (pid ${third.child.pid}, ${third.child.restarts} restarts in all).`);
      say(`Done in ${Math.round((Date.now() - started) / 1000)} s. In a project: \`cred-supervisor watch\`.`);
      finished = true;
      // The demo ends itself: no "press Ctrl+C again to force" for a stop nobody asked for.
      supervisor.requestStop('finished');
    };
    const outcome = await Promise.race([
      script().then(
        () => undefined,
        (error: Error) => error,
      ),
      running.then(() => 'exited' as const),
    ]);
    if (outcome instanceof Error) {
      say(`The demo went off script: ${outcome.message}`);
      supervisor.requestStop('key');
      code = 1;
    }
    const exitCode = await running;
    // The demo's own ending stops the supervisor as Ctrl+C would; that is success, not an interruption.
    return code || (finished ? 0 : exitCode);
  } finally {
    io.signals?.off('SIGINT', onSignal);
    await sts.close();
    await rm(project, { recursive: true, force: true });
  }
}
