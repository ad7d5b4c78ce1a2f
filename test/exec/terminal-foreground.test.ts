import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  isForegroundGroup,
  parseTerminalGroupFromPs,
  parseTerminalGroupFromStat,
} from '../../src/exec/terminal-foreground.js';
import { shellQuote } from '../../src/prompt/shell-quote.js';
import { assertBuilt } from '../support/built-cli.js';

const MODULE = fileURLToPath(new URL('../../dist/exec/terminal-foreground.js', import.meta.url));

describe('parsing', () => {
  it('reads pgrp and tpgid from /proc/<pid>/stat, whatever the command name holds', () => {
    const stat = '4242 (we ird) (name) S 100 4242 100 34816 4242 4194304 120 0 0 0';
    expect(parseTerminalGroupFromStat(stat)).toEqual({ pgrp: 4242, tpgid: 4242 });
    expect(parseTerminalGroupFromStat('77 (node) S 1 77 77 0 -1 4194560')).toEqual({ pgrp: 77, tpgid: -1 });
    expect(parseTerminalGroupFromStat('garbage')).toBeUndefined();
  });

  it('reads `ps -o pgid=,tpgid=`', () => {
    expect(parseTerminalGroupFromPs('  4242  4242')).toEqual({ pgrp: 4242, tpgid: 4242 });
    expect(parseTerminalGroupFromPs('  77    -1')).toEqual({ pgrp: 77, tpgid: -1 });
    expect(parseTerminalGroupFromPs('')).toBeUndefined();
  });

  it('is in the foreground only when the terminal’s foreground group is ours', () => {
    expect(isForegroundGroup({ pgrp: 10, tpgid: 10 })).toBe(true);
    expect(isForegroundGroup({ pgrp: 10, tpgid: 11 })).toBe(false);
    expect(isForegroundGroup({ pgrp: 10, tpgid: -1 })).toBe(false);
    expect(isForegroundGroup(undefined)).toBe(false);
  });
});

function hasUtilLinuxScript(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    return execFileSync('script', ['--version'], { encoding: 'utf8' }).includes('util-linux');
  } catch {
    return false;
  }
}

/** What `isInTerminalForeground()` answers in a process started as `command args`. */
function askIn(command: string, args: string[], detached: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], detached });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', () => resolve(output));
  });
}

const PRINT = `import(${JSON.stringify(MODULE)}).then((m) => console.log('foreground=' + m.isInTerminalForeground()))`;

describe.skipIf(!hasUtilLinuxScript())('isInTerminalForeground (built module)', () => {
  beforeAll(assertBuilt);

  it('is true on a terminal, in the foreground job', async () => {
    const command = [process.execPath, '-e', PRINT].map(shellQuote).join(' ');
    const output = await askIn('script', ['-qfec', command, '/dev/null'], false);
    expect(output).toContain('foreground=true');
  });

  it('is false without a terminal', async () => {
    // detached: a new session, so no controlling terminal even when the tests run in one.
    const output = await askIn(process.execPath, ['-e', PRINT], true);
    expect(output).toBe('foreground=false\n');
  });
});
