import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/cli-io.js';
import { UsageError } from '../../src/cli/errors.js';
import { buildOptions } from '../../src/cli/shared-options.js';
import { defaultOptions } from '../../src/config/options.js';

const cwd = '/work/project';

describe('buildOptions', () => {
  it('gives the defaults for the directory when no flag is set', async () => {
    await expect(buildOptions({}, cwd)).resolves.toEqual(defaultOptions(cwd));
  });

  it('moves the default credentials and log files with --state-dir, resolving against cwd', async () => {
    const options = await buildOptions({ stateDir: 'tmp/state' }, cwd);
    expect(options).toMatchObject({
      stateDir: path.join(cwd, 'tmp/state'),
      credentialsFile: path.join(cwd, 'tmp/state/credentials'),
      logFile: path.join(cwd, 'tmp/state/supervisor.log'),
    });
  });

  it('lets explicit files win over the state directory', async () => {
    const options = await buildOptions(
      { stateDir: 'state', credentialsFile: '../creds.env', logFile: '/var/log/cs.log' },
      cwd,
    );
    expect(options).toMatchObject({ credentialsFile: '/work/creds.env', logFile: '/var/log/cs.log' });
  });

  it('takes every other flag as given', async () => {
    const options = await buildOptions(
      {
        profile: 'dev',
        region: 'eu-west-1',
        expectAccount: '123456789012',
        delivery: 'env',
        refreshBefore: '15m',
        checkSchedule: '*/30 * * * * *',
        stopGrace: '2s',
        logLevel: 'debug',
        notifyCommand: 'notify-send creds',
      },
      cwd,
    );
    expect(options).toMatchObject({
      profile: 'dev',
      region: 'eu-west-1',
      expectAccount: '123456789012',
      delivery: 'env',
      refreshBeforeMs: 900_000,
      checkSchedule: '*/30 * * * * *',
      stopGraceMs: 2_000,
      logLevel: 'debug',
      notifyCommand: 'notify-send creds',
    });
  });

  it('rejects a schedule node-cron cannot run, as a usage error naming the flag and the value', async () => {
    const attempt = buildOptions({ checkSchedule: '99 * * * *' }, cwd);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow('`--check-schedule` must be a node-cron schedule');
    await expect(attempt).rejects.toThrow('got `99 * * * *` (string)');
  });
});

describe('useColor', () => {
  it('follows FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(useColor({ write() {}, isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor({ write() {}, isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColor({ write() {}, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ write() {}, isTTY: true }, {})).toBe(true);
    expect(useColor({ write() {}, isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(useColor({ write() {} }, {})).toBe(false);
  });
});
