import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, loadConfigFile } from '../../src/config/config-file.js';
import { ConfigError } from '../../src/config/errors.js';
import { STARTER_CONFIG } from '../../src/config/starter-config.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-config-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeConfig(text: string): void {
  fs.writeFileSync(path.join(dir, CONFIG_FILE_NAME), text);
}

async function problemsOf(text: string): Promise<string[]> {
  writeConfig(text);
  const error = await loadConfigFile(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return [...(error as ConfigError).problems];
}

describe('loadConfigFile', () => {
  it('is null when the project has no config', async () => {
    expect(await loadConfigFile(dir)).toBeNull();
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"app"}');
    expect(await loadConfigFile(dir)).toBeNull();
  });

  it('leaves a package.json that never names the key to the tools that own it, even a broken one', async () => {
    // Only a package.json that mentions credSupervisor is parsed (so most projects never load the
    // parser); a syntax error there is npm's to report, not ours.
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "app",');
    expect(await loadConfigFile(dir)).toBeNull();
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "app", "credSupervisor": {"profile": "dev"},');
    const error = await loadConfigFile(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatch(/^package\.json:1:\d+: invalid JSON/);
  });

  it('reads every option from JSON with comments and trailing commas, durations in ms', async () => {
    writeConfig(`// team settings
{
  "profile": "dev", /* SSO */
  "credentialsFile": "creds/env",
  "region": "eu-west-1",
  "expectAccount": "012345678901",
  "delivery": "env",
  "refreshBefore": "15m",
  "checkSchedule": "*/30 * * * * *",
  "stopGrace": "1500ms",
  "stateDir": ".state",
  "logFile": "logs/sup.log",
  "logLevel": "debug",
  "notifyCommand": "notify-send creds",
  "command": ["npm", "run", "dev"],
}`);
    const config = await loadConfigFile(dir);
    expect(config?.label).toBe(CONFIG_FILE_NAME);
    expect(config?.dir).toBe(dir);
    expect(config?.values).toEqual({
      profile: 'dev',
      credentialsFile: 'creds/env',
      region: 'eu-west-1',
      expectAccount: '012345678901',
      delivery: 'env',
      refreshBeforeMs: 900_000,
      checkSchedule: '*/30 * * * * *',
      stopGraceMs: 1500,
      stateDir: '.state',
      logFile: 'logs/sup.log',
      logLevel: 'debug',
      notifyCommand: 'notify-send creds',
      command: ['npm', 'run', 'dev'],
    });
  });

  it('accepts the starter config `init` writes, which changes nothing', async () => {
    writeConfig(STARTER_CONFIG);
    expect((await loadConfigFile(dir))?.values).toEqual({});
  });

  it('reads package.json#credSupervisor when there is no config file', async () => {
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'app', credSupervisor: { profile: 'dev', stopGrace: '2s' } }),
    );
    const config = await loadConfigFile(dir);
    expect(config?.label).toBe('package.json#credSupervisor');
    expect(config?.values).toEqual({ profile: 'dev', stopGraceMs: 2000 });
  });

  it('prefers the config file and says package.json#credSupervisor is ignored', async () => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ credSupervisor: { profile: 'a' } }));
    writeConfig('{"profile": "b"}');
    const config = await loadConfigFile(dir);
    expect(config?.values.profile).toBe('b');
    expect(config?.warnings.join()).toMatch(/package\.json#credSupervisor is ignored/);
  });

  it('names the line and column of a syntax error', async () => {
    const problems = await problemsOf('{\n  "profile": "dev"\n  "region": "eu-west-1"\n}');
    expect(problems[0]).toMatch(
      /^cred-supervisor\.config\.json:3:3: invalid JSON with comments \(CommaExpected\)/,
    );
  });

  it('wants one object at the top', async () => {
    expect(await problemsOf('["profile"]')).toEqual([
      'cred-supervisor.config.json must hold one JSON object of options, got an array.',
    ]);
    fs.rmSync(path.join(dir, CONFIG_FILE_NAME));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ credSupervisor: 'dev' }));
    await expect(loadConfigFile(dir)).rejects.toThrow(
      'package.json#credSupervisor must be an object of options, got a string.',
    );
  });

  it('names key, expectation and value for each wrong value, all at once', async () => {
    const problems = await problemsOf(
      JSON.stringify({
        refreshBefore: '10 minutes',
        stopGrace: 5,
        delivery: 'ssh',
        expectAccount: 123456789012,
        region: 'Europe',
        logLevel: 'verbose',
        profile: '',
        command: 'cdk watch',
      }),
    );
    const prefix = 'cred-supervisor.config.json: ';
    expect(problems).toEqual([
      `${prefix}\`refreshBefore\` must be a duration like 10m, got \`10 minutes\` (string)`,
      `${prefix}\`stopGrace\` must be a duration like 5s, got \`5\` (number)`,
      `${prefix}\`delivery\` must be one of endpoint, env, profile, got \`ssh\` (string)`,
      `${prefix}\`expectAccount\` must be a 12-digit AWS account id in quotes, like "123456789012", got \`123456789012\` (number)`,
      `${prefix}\`region\` must be an AWS region like eu-west-1, got \`Europe\` (string)`,
      `${prefix}\`logLevel\` must be one of trace, debug, info, warn, error, fatal, silent, got \`verbose\` (string)`,
      `${prefix}\`profile\` must be an AWS profile name, got \`\` (string)`,
      `${prefix}\`command\` must be a non-empty array of strings, like ["cdk", "watch", "--hotswap-fallback"], got \`cdk watch\` (string)`,
    ]);
  });

  it("explains a bad schedule with node-cron's reason", async () => {
    const [problem] = await problemsOf('{"checkSchedule": "61 * * * *"}');
    expect(problem).toBe(
      'cred-supervisor.config.json: `checkSchedule` must be a node-cron schedule like "* * * * *" ' +
        '(5 fields, or 6 with seconds first), got `61 * * * *` (string) (61 is a invalid expression for minute)',
    );
    const [fields] = await problemsOf('{"checkSchedule": "every minute"}');
    expect(fields).toMatch(/expected 5 or 6 fields but got 2/);
  });

  it('refuses unknown keys, suggesting the likely one', async () => {
    expect(await problemsOf('{"refreshBefor": "10m"}')).toEqual([
      'cred-supervisor.config.json: unknown key `refreshBefor`. Did you mean `refreshBefore`?',
    ]);
    const [problem] = await problemsOf('{"colour": "blue"}');
    expect(problem).toMatch(
      /unknown key `colour`\. Known keys: profile, credentialsFile, .*command, processes\./,
    );
  });

  it('lets $schema through for editors', async () => {
    writeConfig('{"$schema": "./schema.json", "profile": "dev"}');
    expect((await loadConfigFile(dir))?.values).toEqual({ profile: 'dev' });
  });

  it('refuses credentials in the config, never repeating them', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const problems = await problemsOf(
      JSON.stringify({ profile: 'dev', aws_secret_access_key: secret, nested: { SessionToken: 'tok' } }),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /`aws_secret_access_key` is a credential field\. Secrets never go in the config/,
    );
    expect(problems[1]).toMatch(/`nested\.SessionToken` is a credential field/);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('refuses a secret pasted as the value of an ordinary key', async () => {
    const keyId = 'AKIAIOSFODNN7EXAMPLE';
    const problems = await problemsOf(JSON.stringify({ profile: keyId }));
    expect(problems).toEqual([
      expect.stringMatching(
        /`profile` holds something that looks like an AWS key or token\. Secrets never go/,
      ),
    ]);
    expect(problems.join()).not.toContain(keyId);
  });
});
