/**
 * `cred-supervisor playground`: the local STS stand-in on 127.0.0.1 for as long as it runs, so a person
 * can try `check`, `exec` and `watch` in their own project without an AWS account. It writes a
 * credentials file (mode 600, in a private temp directory), prints the environment lines and the
 * commands to try, and lets them issue fresh credentials, expire or revoke the current ones: by key
 * on a terminal, otherwise by writing a word to a control file.
 */
import type { EventEmitter } from 'node:events';
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatDuration } from '../config/duration.js';
import { shellQuote } from '../prompt/shell-quote.js';
import { exportLines } from './export-lines.js';
import { LocalSts, type LocalStsKey } from './local-sts.js';

export interface PlaygroundIo {
  stdout: { write(text: string): unknown };
  stdin?:
    | (NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?(mode: boolean): unknown })
    | undefined;
  /** Where SIGINT/SIGTERM/SIGHUP come from (the real process; tests pass an emitter). */
  signals: EventEmitter;
}

export interface PlaygroundOptions {
  /** 0 picks a free port. */
  port: number;
  /** Lifetime of every key issued. */
  ttlMs: number;
  /** How often the control file is looked at. */
  controlPollMs?: number;
}

export type PlaygroundAction = 'fresh' | 'expire' | 'revoke' | 'quit';

const ACTIONS: readonly PlaygroundAction[] = ['fresh', 'expire', 'revoke', 'quit'];

function isAction(word: string): word is PlaygroundAction {
  return (ACTIONS as readonly string[]).includes(word);
}

/** The single keys on a terminal. */
function actionForKey(key: string): PlaygroundAction | 'interrupt' | undefined {
  switch (key.toLowerCase()) {
    case 'f':
      return 'fresh';
    case 'e':
      return 'expire';
    case 'v':
      return 'revoke';
    case 'q':
      return 'quit';
    case '\x03':
      return 'interrupt';
    default:
      return undefined;
  }
}

const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;
const clock = (date: Date) => date.toISOString().slice(11, 19);
const say = (io: PlaygroundIo, text: string) => io.stdout.write(`[playground] ${text}\n`);

/** Private from the first byte, then renamed over the old file, as careful tools write. */
async function writePrivate(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, text, { mode: 0o600 });
  await chmod(temp, 0o600); // whatever the umask
  await rename(temp, file);
}

export interface PlaygroundPaths {
  dir: string;
  credentialsFile: string;
  envFile: string;
  controlFile: string;
}

/** What the person is told once the stand-in listens: environment, commands, controls. */
export function playgroundIntro(url: string, paths: PlaygroundPaths, interactive: boolean): string {
  const file = shellQuote(paths.credentialsFile);
  const controls = interactive
    ? `Keys: f fresh credentials · e expire them · v revoke them · q quit.\nWithout this terminal: echo fresh|expire|revoke|quit > ${shellQuote(paths.controlFile)}`
    : `Control (no terminal here): echo fresh|expire|revoke|quit > ${shellQuote(paths.controlFile)}\nSIGINT or SIGTERM stops the playground.`;
  return [
    `A local STS stand-in listens on ${url}: no AWS account needed, nothing leaves this machine.`,
    '',
    `In another terminal, in your project, set these (or run: . ${shellQuote(paths.envFile)}):`,
    `  export AWS_ENDPOINT_URL_STS=${url}`,
    `  export AWS_ENDPOINT_URL=${url}   # every other AWS call goes to the stand-in too`,
    '',
    'Then try:',
    `  npx cred-supervisor check --credentials-file ${file}`,
    `  npx cred-supervisor exec --credentials-file ${file} -- aws sts get-caller-identity`,
    `  npx cred-supervisor watch --credentials-file ${file} -- <your dev command>`,
    '',
    controls,
    '',
  ].join('\n');
}

/** Runs until quit or a signal; resolves with the exit code (130 after Ctrl+C / SIGINT). */
export async function runPlayground(io: PlaygroundIo, options: PlaygroundOptions): Promise<number> {
  // mkdtemp creates the directory 700: the credentials in it are nobody else's business.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cred-supervisor-playground-'));
  const paths: PlaygroundPaths = {
    dir,
    credentialsFile: path.join(dir, 'credentials'),
    envFile: path.join(dir, 'env'),
    controlFile: path.join(dir, 'control'),
  };
  let sts: LocalSts | undefined;
  try {
    sts = await LocalSts.start({ port: options.port });
    const stand = sts;
    await writePrivate(
      paths.envFile,
      `export AWS_ENDPOINT_URL_STS=${stand.url}\nexport AWS_ENDPOINT_URL=${stand.url}\n`,
    );
    let current = stand.issueKey({ ttlMs: options.ttlMs });
    await writePrivate(paths.credentialsFile, exportLines(current));

    const interactive = io.stdin?.isTTY === true && typeof io.stdin.setRawMode === 'function';
    io.stdout.write(playgroundIntro(stand.url, paths, interactive));
    const describeKey = (key: LocalStsKey) =>
      `${mask(key.accessKeyId)} for account ${key.account}, expires at ${key.expiration ? clock(key.expiration) : '?'} UTC (${formatDuration(options.ttlMs)})`;
    say(io, `wrote ${paths.credentialsFile} (mode 600): ${describeKey(current)}.`);

    return await new Promise<number>((resolve) => {
      let busy = Promise.resolve();
      const act = (action: PlaygroundAction | 'interrupt') => {
        busy = busy.then(async () => {
          switch (action) {
            case 'fresh':
              current = stand.issueKey({ ttlMs: options.ttlMs });
              await writePrivate(paths.credentialsFile, exportLines(current));
              say(io, `fresh credentials written: ${describeKey(current)}.`);
              return;
            case 'expire':
              stand.expireKey(current.accessKeyId);
              say(
                io,
                `${mask(current.accessKeyId)} has expired: STS now answers ExpiredToken for it. The supervisor notices at its next probe, or at once with \`npx cred-supervisor reload\`.`,
              );
              return;
            case 'revoke':
              stand.revokeKey(current.accessKeyId);
              say(
                io,
                `${mask(current.accessKeyId)} is revoked: STS now answers InvalidClientTokenId for it.`,
              );
              return;
            case 'quit':
              finish(0);
              return;
            case 'interrupt':
              finish(130);
              return;
            default: {
              const never: never = action;
              throw new Error(`unknown action ${String(never)}`);
            }
          }
        });
      };

      const onKey = (chunk: Buffer | string) => {
        for (const key of chunk.toString()) {
          const action = actionForKey(key);
          if (action) act(action);
        }
      };
      const stdin = io.stdin;
      const wasRaw = stdin?.isRaw ?? false;
      if (interactive && stdin) {
        stdin.setRawMode?.(true);
        stdin.on('data', onKey);
        stdin.resume();
      }

      // A word written to the control file; taken by renaming it first, so no word is read twice.
      const claimed = `${paths.controlFile}.taken`;
      const poll = setInterval(async () => {
        try {
          await rename(paths.controlFile, claimed);
        } catch {
          return; // nothing written
        }
        const words = (await readFile(claimed, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean);
        for (const word of words) {
          if (isAction(word)) act(word);
          else
            say(
              io,
              `ignored "${word.slice(0, 20)}" in the control file: write fresh, expire, revoke or quit.`,
            );
        }
      }, options.controlPollMs ?? 200);

      const onSigint = () => act('interrupt');
      const onSigterm = () => act('quit');
      io.signals.on('SIGINT', onSigint);
      io.signals.on('SIGTERM', onSigterm);
      io.signals.on('SIGHUP', onSigterm);

      function finish(code: number) {
        clearInterval(poll);
        io.signals.off('SIGINT', onSigint);
        io.signals.off('SIGTERM', onSigterm);
        io.signals.off('SIGHUP', onSigterm);
        if (interactive && stdin) {
          stdin.off('data', onKey);
          stdin.setRawMode?.(wasRaw);
          stdin.pause();
        }
        say(io, 'stopped; the stand-in is gone and its credentials file removed.');
        resolve(code);
      }
    });
  } finally {
    await sts?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
