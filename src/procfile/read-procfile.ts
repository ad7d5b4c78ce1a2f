/**
 * Reads and validates the Procfile `watch --procfile FILE` names, before anything starts, and watches
 * it afterwards: a change is reported, never applied silently (a restart applies it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ProcfileResult, parseProcfile } from './parse-procfile.js';

export function readProcfile(file: string, cwd: string): ProcfileResult {
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : `it cannot be read (${code ?? 'error'})`;
    return {
      ok: false,
      problems: [
        `${file}: ${why}. Create it with one \`name: command\` line per process, or run \`cred-supervisor init --procfile\`.`,
      ],
    };
  }
  return parseProcfile(text, file);
}

/**
 * Calls `onChange` once each time the file's content differs from what was started (editors save by
 * rename, so the directory is watched, not the file). Returns the function that stops watching.
 */
export function watchProcfile(file: string, cwd: string, onChange: () => void): () => void {
  const full = path.resolve(cwd, file);
  let started: string | undefined;
  try {
    started = fs.readFileSync(full, 'utf8');
  } catch {
    started = undefined;
  }
  let reported = started;
  let watcher: fs.FSWatcher;
  try {
    watcher = fs.watch(path.dirname(full), (_event, changed) => {
      if (changed !== null && changed !== path.basename(full)) return;
      let now: string | undefined;
      try {
        now = fs.readFileSync(full, 'utf8');
      } catch {
        now = undefined;
      }
      if (now === reported) return;
      reported = now;
      if (now !== started) onChange();
    });
  } catch {
    return () => undefined;
  }
  watcher.unref();
  return () => watcher.close();
}
