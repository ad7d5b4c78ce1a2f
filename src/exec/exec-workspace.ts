/**
 * A private directory for one `exec` run, inside the state dir: the endpoint's token file and the
 * neutral AWS config live there. Not the state dir itself: a `watch` supervisor may be running in
 * the same directory, and its token file (`<state-dir>/endpoint.token`) must not be overwritten by
 * ours, nor ours removed by it. Named after our pid so that directories left by a SIGKILLed run can
 * be recognised and removed by the next one.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureStateDir } from '../control/state-dir.js';
import { isProcessAlive } from '../process/liveness.js';

const PREFIX = 'exec-';
const NAME = /^exec-(\d+)$/;

export interface ExecWorkspace {
  dir: string;
  /** Removes the directory; never throws. */
  remove(): Promise<void>;
}

/** The `exec-<pid>` directory names whose process is gone. Pure apart from `isAlive`. */
export function staleWorkspaceNames(names: readonly string[], isAlive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const pid = Number(NAME.exec(name)?.[1]);
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
  });
}

export async function createExecWorkspace(
  stateDir: string,
  isAlive: (pid: number) => boolean = isProcessAlive,
): Promise<ExecWorkspace> {
  await ensureStateDir(stateDir);
  // Left behind by runs that were SIGKILLed: their endpoints died with them, the tokens are useless.
  const stale = staleWorkspaceNames(await readdir(stateDir).catch(() => []), isAlive);
  await Promise.all(stale.map((name) => rm(path.join(stateDir, name), { recursive: true, force: true })));

  const dir = path.join(stateDir, `${PREFIX}${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: 0o700 });
  return {
    dir,
    remove: () => rm(dir, { recursive: true, force: true }).catch(() => undefined),
  };
}
