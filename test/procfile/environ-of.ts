import { procBytes } from '../support/proc.js';

/** One variable of a running process's environment, as it was started with. */
export function environOf(pid: number, name: string): string | undefined {
  const entry = procBytes(pid, 'environ')
    .toString('utf8')
    .split('\0')
    .find((e) => e.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}
