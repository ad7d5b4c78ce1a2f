/**
 * Notices fresh credentials arriving without anyone pressing a key: the credentials file being
 * (re)written, or a profile's config/credentials files and the SSO token cache changing after
 * `aws sso login`. chokidar watches the parent folders, so a file that does not exist yet, is replaced
 * by an atomic rename, or is deleted and re-created is still seen; `awaitWriteFinish` and a short
 * debounce let a writer finish before the supervisor reads.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

export type SourceChange = 'file' | 'profile';

export interface SourceWatcherOptions {
  credentialsFile: string;
  /** Profile files and the SSO cache folder, when a profile is in use. */
  profilePaths: readonly string[];
  onChange: (change: SourceChange) => void;
  /** Quiet time after the last event before `onChange` (default 150 ms). */
  debounceMs?: number;
  onError?: (error: Error) => void;
}

export interface SourceWatcher {
  /** Resolves once the initial scan is done: changes from now on are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function watchCredentialSources(options: SourceWatcherOptions): SourceWatcher {
  const debounceMs = options.debounceMs ?? 150;
  const credentialsFile = path.resolve(options.credentialsFile);
  const profilePaths = options.profilePaths.map((p) => path.resolve(p));
  const timers = new Map<SourceChange, NodeJS.Timeout>();
  const report = (change: SourceChange) => {
    clearTimeout(timers.get(change));
    timers.set(
      change,
      setTimeout(() => {
        timers.delete(change);
        options.onChange(change);
      }, debounceMs),
    );
  };
  const classify = (changed: string): SourceChange | undefined => {
    const resolved = path.resolve(changed);
    if (resolved === credentialsFile) return 'file';
    if (profilePaths.some((p) => resolved === p || resolved.startsWith(`${p}${path.sep}`))) return 'profile';
    return undefined;
  };
  // Watch folders, not files: a file watch is lost when an editor or `mv` replaces the file.
  const folders = new Set<string>();
  const credentialsFolder = path.dirname(credentialsFile);
  // A folder that does not exist yet cannot be watched (and chokidar, given nothing to watch, never
  // reports ready): its nearest existing ancestor is watched instead, each folder on the way down is
  // added as it appears, and a file already in the last one is reported.
  const awaited = foldersOnTheWay(credentialsFolder);
  folders.add(awaited[0] ?? credentialsFolder);
  for (const p of profilePaths) {
    const folder = existsSync(p) && !path.extname(p) && p.endsWith('cache') ? p : path.dirname(p);
    if (existsSync(folder)) folders.add(folder);
  }
  const watcher: FSWatcher = watch([...folders], {
    ignoreInitial: true,
    depth: 0,
    // The credentials file shares its folder with the log, the lock and the endpoint's token file:
    // without this, every log line would start awaitWriteFinish's polling of the log file.
    ignored: (changed) => {
      const resolved = path.resolve(changed);
      return !folders.has(resolved) && !awaited.includes(resolved) && classify(changed) === undefined;
    },
    awaitWriteFinish: { stabilityThreshold: 80, pollInterval: 20 },
  });
  const onEvent = (changed: string) => {
    const change = classify(changed);
    if (change) report(change);
  };
  const onDirAdded = (added: string) => {
    if (awaited.includes(path.resolve(added))) adoptAwaitedFolders();
  };
  // `mkdir -p` makes several at once, and a folder added with ignoreInitial reports nothing it
  // already holds: walk down every awaited folder that exists by now. Also run once the watcher is
  // ready: a folder made during its initial scan raises no event of its own.
  const adoptAwaitedFolders = () => {
    let added = false;
    for (const folder of awaited) {
      if (folders.has(folder)) continue;
      if (!existsSync(folder)) break;
      folders.add(folder);
      watcher.add(folder);
      added = true;
      if (folder === credentialsFolder) lookForFileWhileWatchStarts();
    }
    // The same race one level up: the next folder made inside one whose watch is still starting
    // raises no event either (`mkdir a` then `mkdir a/b` a millisecond later). Look for it again.
    if (added && !folders.has(credentialsFolder)) whileWatchStarts(adoptAwaitedFolders);
  };
  // chokidar starts watching an added folder asynchronously: a file written between the folder's
  // creation and the start of that watch raises no event. Look for it now and while the watch starts.
  const lookForFileWhileWatchStarts = () => {
    let found = false;
    const look = () => {
      if (found || !existsSync(credentialsFile)) return;
      found = true;
      report('file');
    };
    look();
    whileWatchStarts(look);
  };
  const lookTimers = new Set<NodeJS.Timeout>();
  const whileWatchStarts = (look: () => void) => {
    for (const delayMs of FOLDER_WATCH_SETTLE_MS) {
      const timer = setTimeout(() => {
        lookTimers.delete(timer);
        look();
      }, delayMs);
      timer.unref();
      lookTimers.add(timer);
    }
  };
  watcher.on('add', onEvent);
  watcher.on('change', onEvent);
  watcher.on('addDir', onDirAdded);
  watcher.on('error', (error) => options.onError?.(error as Error));
  const ready = new Promise<void>((resolve) => {
    watcher.once('ready', () => {
      if (awaited.length > 1) adoptAwaitedFolders();
      resolve();
    });
    // Never let the start wait on the watcher for ever: without it, changes are only picked up by
    // `r`, `reload` and the scheduled checks, and that is said.
    const late = setTimeout(() => {
      options.onError?.(
        new Error(`watching ${[...folders].join(', ')} did not start within ${READY_LIMIT_MS} ms`),
      );
      resolve();
    }, READY_LIMIT_MS);
    late.unref();
    watcher.once('ready', () => clearTimeout(late));
  });
  return {
    ready,
    async close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      for (const timer of lookTimers) clearTimeout(timer);
      // Before close(), which empties the map that holds them.
      clearThrottleTimers(watcher);
      await watcher.close();
    },
  };
}

const READY_LIMIT_MS = 10_000;
/** When to look again for a file written while the watch of its new folder was starting. */
const FOLDER_WATCH_SETTLE_MS = [100, 500, 2000] as const;

/**
 * `dir` when it exists; otherwise its nearest existing ancestor followed by each missing folder down
 * to `dir`. Empty when nothing exists up to the root.
 */
function foldersOnTheWay(dir: string): string[] {
  const missing: string[] = [];
  let current = dir;
  while (!existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) return [];
    current = parent;
  }
  return [current, ...missing];
}

/**
 * chokidar 5's close() forgets its throttle timers without clearing them (it empties their map); the 1 s `readdir` one, armed
 * by any file added or removed in a watched folder (the lock is rewritten as the child stops), kept the
 * supervisor alive for up to a second after it was done. The field is private: read defensively.
 */
function clearThrottleTimers(watcher: FSWatcher): void {
  const throttled = (watcher as unknown as { _throttled?: unknown })._throttled;
  if (!(throttled instanceof Map)) return;
  for (const byPath of throttled.values()) {
    if (!(byPath instanceof Map)) continue;
    for (const entry of byPath.values()) {
      const timer = (entry as { timeoutObject?: unknown } | undefined)?.timeoutObject;
      if (timer) clearTimeout(timer as NodeJS.Timeout);
    }
  }
}
