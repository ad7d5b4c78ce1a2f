// `cred-supervisor exec` on a real terminal (a pseudo-terminal made by util-linux `script`): the
// command can use the terminal, and Ctrl+C reaches it exactly once (from the terminal itself, not a
// second time forwarded by us).
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { shellQuote } from '../../src/prompt/shell-quote.js';
import { CLI } from '../support/built-cli.js';
import type { FakeSts } from '../support/fake-sts.js';
import { envLines, type Sandbox, useSandbox } from '../support/sandbox.js';

const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));

function hasUtilLinuxScript(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    return execFileSync('script', ['--version'], { encoding: 'utf8' }).includes('util-linux');
  } catch {
    return false;
  }
}

let sts: FakeSts;
let sandbox: Sandbox;

useSandbox(async (context) => {
  ({ sts, sandbox } = context);
  await sandbox.writeCredentials(envLines(sts.issueKey()));
});

/** Runs `words` under a new pseudo-terminal; `typed` is what the test types into it. */
function onTerminal(words: string[], env: NodeJS.ProcessEnv) {
  const terminal = spawn('script', ['-qfec', words.map(shellQuote).join(' '), '/dev/null'], {
    cwd: sandbox.dir,
    env: { ...sandbox.env, ...env, SHELL: '/bin/sh', TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => terminal.once('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (terminal.exitCode === null) terminal.kill('SIGKILL');
    await exited;
  });
  const waitFor = async (text: string, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline || terminal.exitCode !== null) {
        throw new Error(`Expected \`${text}\` on the terminal, got:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    type: (text: string) => terminal.stdin.write(text),
    waitFor,
    exited,
    get output() {
      return output;
    },
  };
}

describe.skipIf(!hasUtilLinuxScript())('exec on a terminal', () => {
  it('the command has the terminal, and Ctrl+C reaches it once', async () => {
    const terminal = onTerminal([process.execPath, CLI, 'exec', '--', 'node', FAKE_CDK], {
      FAKE_CDK_LINES: 'ready',
      FAKE_CDK_READY_MARKER: 'READY',
      // Time for a second, forwarded SIGINT to show up if one were sent.
      FAKE_CDK_SIGNAL_EXIT_DELAY_MS: '500',
    });
    await terminal.waitFor('READY');
    terminal.type('\x03');
    // `script -e` exits with the code of what it ran: ours, which is the command's.
    expect(await terminal.exited).toBe(130);
    expect(terminal.output.match(/FAKE_CDK_SIGNAL=SIGINT/g)).toHaveLength(1);
  });

  it('a question on the terminal can be answered (stdin and stdout are the TTY)', async () => {
    const script =
      'console.log("tty=" + process.stdin.isTTY + "," + process.stdout.isTTY);' +
      'process.stdout.write("Do you wish to deploy these changes (y/n)? ");' +
      'process.stdin.once("data", (d) => { console.log("answer=" + String(d).trim()); process.exit(0); });';
    const terminal = onTerminal([process.execPath, CLI, 'exec', '--', 'node', '-e', script], {});
    await terminal.waitFor('(y/n)? ');
    terminal.type('y\r');
    expect(await terminal.exited).toBe(0);
    expect(terminal.output).toContain('tty=true,true');
    expect(terminal.output).toContain('answer=y');
  });
});
