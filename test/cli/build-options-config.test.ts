/** `buildOptions` with a real config file in a temp project: defaults < config < flags. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckFlags } from '../../src/cli/commands/run-check.js';
import { UsageError } from '../../src/cli/errors.js';
import { buildOptions } from '../../src/cli/shared-options.js';
import { defaultOptions } from '../../src/config/options.js';

let project: string;
beforeEach(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'cs-build-options-'));
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

const writeConfig = (text: string) => writeFile(path.join(project, 'cred-supervisor.config.json'), text);

describe('buildOptions with a config file', () => {
  it('puts the config between the defaults and the flags', async () => {
    await writeConfig(`{
      // JSON with comments, as init writes it
      "profile": "from-config",
      "region": "eu-west-1",
      "refreshBefore": "15m",
      "stopGrace": "2s",
      "delivery": "env",
    }`);
    const options = await buildOptions({ profile: 'from-flag', stopGrace: '500ms' }, project);
    expect(options).toEqual({
      ...defaultOptions(project),
      profile: 'from-flag',
      region: 'eu-west-1',
      refreshBeforeMs: 900_000,
      stopGraceMs: 500,
      delivery: 'env',
    });
  });

  it("hands watch the config's command, and keeps command-specific flags out of the options", async () => {
    await writeConfig('{ "command": ["npx", "sst", "dev"] }');
    const flags: CheckFlags = { json: true };
    const options = await buildOptions(flags, project);
    expect(options.command).toEqual(['npx', 'sst', 'dev']);
    expect(options).not.toHaveProperty('json');
  });

  it('resolves the config stateDir against the project and moves the default files with it', async () => {
    await writeConfig('{ "stateDir": "var/cs", "logFile": "/tmp/cs.log" }');
    const options = await buildOptions({}, project);
    expect(options).toMatchObject({
      stateDir: path.join(project, 'var/cs'),
      credentialsFile: path.join(project, 'var/cs/credentials'),
      logFile: '/tmp/cs.log',
    });
  });

  it('tells the caller when package.json#credSupervisor is shadowed by the config file', async () => {
    await writeConfig('{ "region": "eu-west-1" }');
    await writeFile(path.join(project, 'package.json'), '{ "credSupervisor": { "region": "us-west-2" } }');
    const warnings: string[] = [];
    const options = await buildOptions({}, project, { onWarning: (message) => warnings.push(message) });
    expect(options.region).toBe('eu-west-1');
    expect(warnings).toEqual([
      'package.json#credSupervisor is ignored: cred-supervisor.config.json takes precedence.',
    ]);
  });

  it('turns every config problem into one usage error that lists them', async () => {
    await writeConfig('{ "region": "Europe", "logLevel": "loud" }');
    const error: unknown = await buildOptions({}, project).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message.split('\n')).toEqual([
      `The cred-supervisor configuration in ${project} cannot be used:`,
      '  - cred-supervisor.config.json: `region` must be an AWS region like eu-west-1, got `Europe` (string)',
      expect.stringMatching(
        /^ {2}- cred-supervisor\.config\.json: `logLevel` must be one of trace, .*got `loud`/,
      ),
      'Fix the config file and run again.',
    ]);
  });
});
