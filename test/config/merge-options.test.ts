import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME } from '../../src/config/config-file.js';
import { ConfigError } from '../../src/config/errors.js';
import { mergeOptions, normalizeFlags, resolveOptions } from '../../src/config/merge-options.js';
import { defaultOptions } from '../../src/config/options.js';

const project = '/work/app';
const defaults = defaultOptions(project);

describe('mergeOptions', () => {
  it('is the defaults when nothing is set', () => {
    expect(mergeOptions(defaults, undefined, {}, { projectDir: project })).toEqual(defaults);
  });

  it('lets the config override defaults and flags override both', () => {
    const merged = mergeOptions(
      defaults,
      { profile: 'from-config', region: 'eu-west-1', refreshBeforeMs: 60_000, delivery: 'env' },
      { profile: 'from-flag', stopGraceMs: 1000 },
      { projectDir: project },
    );
    expect(merged).toMatchObject({
      profile: 'from-flag',
      region: 'eu-west-1',
      refreshBeforeMs: 60_000,
      delivery: 'env',
      stopGraceMs: 1000,
      checkSchedule: defaults.checkSchedule,
    });
  });

  it('resolves config paths against the project and flag paths against the working directory', () => {
    const merged = mergeOptions(
      defaults,
      { credentialsFile: 'secrets/creds', logFile: '/var/log/cs.log' },
      { stateDir: '../state' },
      { projectDir: project, cwd: '/work/app/sub' },
    );
    expect(merged.credentialsFile).toBe('/work/app/secrets/creds');
    expect(merged.logFile).toBe('/var/log/cs.log');
    expect(merged.stateDir).toBe('/work/app/state');
  });

  it('moves the default log and credentials files with a chosen state dir', () => {
    const merged = mergeOptions(defaults, { stateDir: '.cs' }, {}, { projectDir: project });
    expect(merged.stateDir).toBe('/work/app/.cs');
    expect(merged.logFile).toBe('/work/app/.cs/supervisor.log');
    expect(merged.credentialsFile).toBe('/work/app/.cs/credentials');
  });

  it('keeps an explicitly set log file when a flag moves the state dir', () => {
    const merged = mergeOptions(
      defaults,
      { logFile: 'sup.log' },
      { stateDir: '/tmp/cs' },
      { projectDir: project },
    );
    expect(merged.logFile).toBe('/work/app/sup.log');
    expect(merged.credentialsFile).toBe('/tmp/cs/credentials');
  });
});

describe('normalizeFlags', () => {
  it('validates flags with the same rules, naming the flag', () => {
    let thrown: unknown;
    try {
      normalizeFlags({ refreshBefore: '10 minutes', checkSchedule: '* * *' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      '`--refresh-before` must be a duration like 10m, got `10 minutes` (string)',
      expect.stringMatching(
        /^`--check-schedule` must be a node-cron schedule.*expected 5 or 6 fields but got 3/,
      ),
    ]);
    expect(() => normalizeFlags({ expectAccount: '1234' })).toThrow(
      '`--expect-account` must be a 12-digit AWS account id, like 123456789012, got `1234` (string)',
    );
  });

  it('converts durations and ignores flags that are not shared options', () => {
    const flags = { stopGrace: '2s', delivery: 'profile', json: true } as Parameters<
      typeof normalizeFlags
    >[0];
    expect(normalizeFlags(flags)).toEqual({ stopGraceMs: 2000, delivery: 'profile' });
  });
});

describe('resolveOptions', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the project config from disk and applies flags on top', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-resolve-'));
    fs.writeFileSync(
      path.join(dir, CONFIG_FILE_NAME),
      '{ // comment\n "profile": "team", "logLevel": "debug", "command": ["sam", "sync", "--watch"] }',
    );
    const { options, config } = await resolveOptions(dir, { logLevel: 'warn' });
    expect(config?.file).toBe(path.join(dir, CONFIG_FILE_NAME));
    expect(options).toMatchObject({
      profile: 'team',
      logLevel: 'warn',
      command: ['sam', 'sync', '--watch'],
      stateDir: path.join(dir, '.cred-supervisor'),
    });
  });
});

describe('--stop-before against --refresh-before', () => {
  it('a short --refresh-before pulls the default --stop-before down to half of it (the refresh goes first); both given the wrong way round is refused', async () => {
    const defaults = defaultOptions('/work/app');
    expect(
      mergeOptions(defaults, undefined, { refreshBeforeMs: 8_000 }, { projectDir: '/work/app' }).stopBeforeMs,
    ).toBe(4_000);
    expect(() =>
      mergeOptions(
        defaults,
        undefined,
        { refreshBeforeMs: 8_000, stopBeforeMs: 20_000 },
        { projectDir: '/work/app' },
      ),
    ).toThrow('`--stop-before` (20s) must not be longer than `--refresh-before` (8s)');
  });
});
