/**
 * scripts/dev-loop.sh with real tmux on a private server (`tmux -S <socket in the test's temp dir>`,
 * killed and removed after each test) and a stand-in for the cred-supervisor CLI (CRED_SUPERVISOR_BIN).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/dev-loop.sh', import.meta.url));
const fakeCli = fileURLToPath(new URL('./fixtures/fake-cred-supervisor.mjs', import.meta.url));

let root: string;
let project: string;
let socket: string;
const controlClients: ChildProcess[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cs-dev-loop-'));
  // A dot in the name: tmux would rename the session, so the script must too.
  project = path.join(root, 'my.app');
  await mkdir(project);
  socket = path.join(root, 'tmux.sock');
});

afterEach(async () => {
  for (const client of controlClients.splice(0)) client.kill('SIGKILL');
  await execa('tmux', ['-S', socket, 'kill-server'], { reject: false });
  await rm(root, { recursive: true, force: true });
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: root,
    CRED_SUPERVISOR_TMUX_SOCKET: socket,
    CRED_SUPERVISOR_BIN: fakeCli,
    ...extra,
  };
}

function devLoop(args: string[], extra: NodeJS.ProcessEnv = {}) {
  return execa('bash', [script, ...args], {
    cwd: project,
    env: env(extra),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 20_000,
  });
}

function tmux(...args: string[]) {
  return execa('tmux', ['-S', socket, ...args], { reject: false, env: env() });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The text of a pane, once it contains `text`. */
function paneShowing(target: string, text: string): Promise<string> {
  return waitFor(`pane ${target} to show ${JSON.stringify(text)}`, async () => {
    const { stdout } = await tmux('capture-pane', '-p', '-J', '-t', target);
    return stdout.includes(text) ? stdout : undefined;
  });
}

interface Pane {
  index: string;
  title: string;
  command: string;
  pid: number;
}

async function panes(session: string): Promise<Pane[]> {
  const { stdout } = await tmux(
    'list-panes',
    '-t',
    `=${session}`,
    '-F',
    '#{pane_index}\t#{pane_title}\t#{pane_current_command}\t#{pane_pid}',
  );
  return stdout.split('\n').map((line) => {
    const [index = '', title = '', command = '', pid = ''] = line.split('\t');
    return { index, title, command, pid: Number(pid) };
  });
}

async function childCommands(pid: number): Promise<string[]> {
  const { stdout } = await execa('ps', ['-o', 'comm=', '--ppid', String(pid)], { reject: false });
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

const SESSION = 'cred-supervisor-my_app';

describe('dev-loop.sh', () => {
  it('opens a session with the supervisor and its readable log, and says how to attach', async () => {
    const run = await devLoop(['-d', '--', '--profile', 'dev', '--', 'cdk', 'watch']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      `Session ${SESSION} is running. Attach with: tmux -S ${socket} attach -t ${SESSION}`,
    );

    // The supervisor pane: the CLI itself (no npx, no shell in between), with the arguments untouched.
    const supervisorPane = await paneShowing(`=${SESSION}:0.0`, 'fake supervisor: watch');
    expect(supervisorPane).toContain(`watch ["--profile","dev","--","cdk","watch"] in ${project}`);

    // The log pane: pino JSON lines turned into time, level, message and fields.
    const logPane = await paneShowing(`=${SESSION}:0.1`, 'credentials expire soon');
    expect(logPane).toMatch(/^\d\d:\d\d:\d\d INFO {2}supervisor started {2}state=running$/m);
    expect(logPane).toMatch(/^\d\d:\d\d:\d\d WARN {2}credentials expire soon {2}timeLeftMs=540000$/m);
    expect(logPane).not.toContain('"level"');

    const [supervisor, log, ...more] = await panes(SESSION);
    expect(more).toEqual([]);
    expect(supervisor).toMatchObject({ index: '0', title: 'supervisor', command: 'node' });
    expect(log).toMatchObject({ index: '1', title: 'log' });
    expect((await childCommands(log?.pid ?? 0)).sort()).toEqual(['node', 'tail']);
  });

  /** The status line as tmux shows it, through a control-mode client (tmux runs #() for clients only). */
  async function shownStatusRight(pattern: RegExp): Promise<string> {
    const client = spawn('tmux', ['-S', socket, '-C', 'attach', '-t', `=${SESSION}`], {
      env: env(),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    controlClients.push(client);
    let output = '';
    let subscribed = false;
    return new Promise<string>((resolve) => {
      client.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (!subscribed && output.includes('%session-changed')) {
          subscribed = true;
          client.stdin?.write("refresh-client -B 'status::#{T:status-right}'\n");
        }
        const match = new RegExp(`^%subscription-changed status .*: (${pattern.source})$`, 'm').exec(output);
        if (match?.[1]) resolve(match[1]);
      });
    });
  }

  it('-p runs the Procfile under the one supervisor, in the supervisor pane', async () => {
    await writeFile(path.join(project, 'Procfile.dev'), 'cdk: cdk watch\n');
    const run = await devLoop(['-d', '-p', 'Procfile.dev', '--', '--profile', 'dev']);
    expect(run.exitCode).toBe(0);
    const supervisorPane = await paneShowing(`=${SESSION}:0.0`, 'fake supervisor: watch');
    expect(supervisorPane).toContain(`watch ["--procfile","Procfile.dev","--profile","dev"] in ${project}`);

    const missing = await devLoop(['-d', '-p', 'Nope']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no Procfile at Nope (cred-supervisor init --procfile writes one).');
  });

  it("puts the supervisor's ready-made segment file in the session's status line, read with cat", async () => {
    expect((await devLoop(['-d'])).exitCode).toBe(0);
    const option = await tmux('show-options', '-v', '-t', `=${SESSION}:`, 'status-right');
    expect(option.stdout).toContain(`cat '${path.join(project, '.cred-supervisor', 'status-segment')}'`);
    expect(option.stdout).not.toContain(fakeCli);
    await expect(shownStatusRight(/FAKE-SEGMENT.*/)).resolves.toMatch(
      /^FAKE-SEGMENT from the file \d\d:\d\d$/,
    );
  });

  it('asks the CLI every time when it cannot name a segment file (an older version)', async () => {
    expect((await devLoop(['-d'], { FAKE_NO_SEGMENT_FILE: '1' })).exitCode).toBe(0);
    const option = await tmux('show-options', '-v', '-t', `=${SESSION}:`, 'status-right');
    expect(option.stdout).toContain(`'${fakeCli}' status --format tmux`);
    await expect(shownStatusRight(/FAKE-STATUS.*/)).resolves.toMatch(/^FAKE-STATUS --format tmux \d\d:\d\d$/);
  });

  it('returns to the running session instead of starting a second supervisor', async () => {
    expect((await devLoop(['-d'])).exitCode).toBe(0);
    await paneShowing(`=${SESSION}:0.0`, 'fake supervisor: watch');
    const [first] = await panes(SESSION);

    // Not a terminal and no -d: it cannot attach, so it leaves the session detached and says so.
    const again = await devLoop(['--', '--profile', 'other']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain(`Session ${SESSION} is running.`);
    expect(again.stderr).toContain('already running; the watch arguments were not applied');
    const now = await panes(SESSION);
    expect(now).toHaveLength(2);
    expect(now[0]?.pid).toBe(first?.pid);
    const sessions = await tmux('list-sessions', '-F', '#{session_name}');
    expect(sessions.stdout).toBe(SESSION);
  });

  it('-k stops the supervisor first, then kills the session', async () => {
    expect((await devLoop(['-d'])).exitCode).toBe(0);
    await paneShowing(`=${SESSION}:0.0`, 'fake supervisor: watch');

    const kill = await devLoop(['-k']);
    expect(kill.exitCode).toBe(0);
    expect(kill.stdout).toContain('The supervisor stopped.');
    expect(kill.stdout).toContain(`Killed tmux session ${SESSION}.`);
    // `stop` ran while the supervisor was still up, i.e. before the session was killed.
    const marker = await readFile(path.join(project, '.cred-supervisor', 'fake-stop.txt'), 'utf8');
    expect(marker).toBe('stop: watch was running\n');
    expect((await tmux('has-session', '-t', `=${SESSION}`)).exitCode).not.toBe(0);

    const none = await devLoop(['-k']);
    expect(none).toMatchObject({ exitCode: 0, stdout: `No tmux session ${SESSION}.` });
  });

  it('finds the CLI in node_modules/.bin above the project when CRED_SUPERVISOR_BIN is unset', async () => {
    const bin = path.join(root, 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    await symlink(fakeCli, path.join(bin, 'cred-supervisor'));
    const run = await devLoop(['-d'], { CRED_SUPERVISOR_BIN: '' });
    expect(run.exitCode).toBe(0);
    await paneShowing(`=${SESSION}:0.0`, `fake supervisor: watch [] in ${project}`);
    const option = await tmux('show-options', '-v', '-t', `=${SESSION}:`, 'status-right');
    expect(option.stdout).toContain(`cat '${path.join(project, '.cred-supervisor', 'status-segment')}'`);
  });

  it('takes the session name from CRED_SUPERVISOR_SESSION', async () => {
    const run = await devLoop(['-d'], { CRED_SUPERVISOR_SESSION: 'api:dev' });
    expect(run.exitCode).toBe(0);
    expect((await tmux('list-sessions', '-F', '#{session_name}')).stdout).toBe('api_dev');
  });

  it('inside another tmux server, says how to attach instead of nesting', async () => {
    const run = await devLoop([], { TMUX: '/tmp/some-other-tmux/default,1,0' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      `Session ${SESSION} runs on another tmux server; from outside tmux: tmux -S ${socket} attach -t ${SESSION}`,
    );
  });

  it('rejects an unknown option with usage, starting nothing', async () => {
    const run = await devLoop(['-x']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown option -x (watch options go after --)');
    expect(run.stderr).toContain('Usage: dev-loop.sh');
    expect(existsSync(path.join(project, '.cred-supervisor'))).toBe(false);
    expect((await tmux('has-session', '-t', `=${SESSION}`)).exitCode).not.toBe(0);
  });
});
