/**
 * Whether stdout and stderr end up in the same place: one terminal, or one pipe or file
 * (`2>&1 | tee log`). Only then can the supervisor's lines (on stderr) land inside a line the child
 * wrote to stdout, and only then is it worth ending that line first; otherwise stdout is left exactly
 * as the child wrote it.
 */
import { fstatSync } from 'node:fs';
import type { OutputStream } from '../cli/cli-io.js';

function fdOf(stream: OutputStream): number | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  return typeof fd === 'number' ? fd : undefined;
}

export function shareDestination(stdout: OutputStream, stderr: OutputStream): boolean {
  const out = fdOf(stdout);
  const err = fdOf(stderr);
  if (out !== undefined && err !== undefined) {
    try {
      const a = fstatSync(out);
      const b = fstatSync(err);
      // Two different terminals are rare; one terminal opened twice has the same device number.
      if (a.isCharacterDevice() && b.isCharacterDevice()) return a.rdev === b.rdev;
      return a.dev === b.dev && a.ino === b.ino;
    } catch {
      // A closed descriptor: fall back to what the streams say.
    }
  }
  return stdout.isTTY === true && stderr.isTTY === true;
}
