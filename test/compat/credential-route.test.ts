import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCdkVersion, isVersionAtLeast } from '../../src/compat/cdk-version.js';
import { childDelivery, decideCredentialRoute, type RouteFacts } from '../../src/compat/credential-route.js';
import { inspectCommand, profileFlagOf } from '../../src/compat/inspect-command.js';

const OLD_CDK = fileURLToPath(new URL('../fixtures/old-cdk/cdk', import.meta.url));
const FAKE_CDK = fileURLToPath(new URL('../fixtures/fake-cdk.mjs', import.meta.url));
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

const base: RouteFacts = { delivery: 'endpoint', command: ['cdk', 'watch'], isCdk: true };

describe('decideCredentialRoute', () => {
  it.each([
    [{ ...base, cdkVersion: { version: '2.172.0', from: 'package.json' as const } }, 'endpoint'],
    [{ ...base, cdkVersion: { version: '2.1000.0', from: 'package.json' as const } }, 'endpoint'],
    [{ ...base, cdkVersion: { version: '2.171.1', from: '--version' as const } }, 'restart'],
    [{ ...base }, 'endpoint'],
    [{ ...base, delivery: 'env' as const }, 'restart'],
    [{ ...base, delivery: 'profile' as const, profile: 'dev' }, 'profile'],
    [{ ...base, cdkJsonProfile: 'dev' }, 'profile'],
    [{ ...base, isCdk: false, command: ['sam', 'sync', '--watch'] }, 'endpoint'],
  ])('%j → %s', (facts, kind) => {
    expect(decideCredentialRoute(facts).kind).toBe(kind);
  });

  it('says why, naming the version and where a profile came from', () => {
    const old = decideCredentialRoute({ ...base, cdkVersion: { version: '2.150.0', from: '--version' } });
    expect(old.why).toMatch(/CDK CLI 2\.150\.0 resolves credentials once .*2\.172\.0.*restarted/);
    const named = decideCredentialRoute({ ...base, cdkJsonProfile: 'dev', commandProfile: 'ops' });
    expect(named).toMatchObject({ kind: 'profile', profile: 'ops', from: 'command' });
    expect(decideCredentialRoute({ ...base, cdkJsonProfile: 'dev' }).why).toMatch(/cdk\.json's `profile`/);
  });
});

describe('versions', () => {
  it('compares release numbers, the CDK CLI 2.1xxx series included', () => {
    expect(isVersionAtLeast('2.172.0', '2.172.0')).toBe(true);
    expect(isVersionAtLeast('2.1000.0', '2.172.0')).toBe(true);
    expect(isVersionAtLeast('2.99.9', '2.172.0')).toBe(false);
    expect(isVersionAtLeast('not a version', '2.172.0')).toBe(false);
  });

  it('reads the package.json next to node_modules/.bin/cdk without running it', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'cdk-version-'));
    const pkg = path.join(project, 'node_modules', 'aws-cdk');
    await mkdir(path.join(pkg, 'bin'), { recursive: true });
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'aws-cdk', version: '2.160.0' }));
    // A binary that would hang if run: only the package.json may answer.
    await writeFile(path.join(pkg, 'bin', 'cdk'), '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
    await mkdir(path.join(project, 'node_modules', '.bin'));
    await symlink('../aws-cdk/bin/cdk', path.join(project, 'node_modules', '.bin', 'cdk'));
    expect(await findCdkVersion(path.join(project, 'node_modules', '.bin', 'cdk'), ENV)).toEqual({
      version: '2.160.0',
      from: 'package.json',
    });
  });

  it('asks `cdk --version` when no package.json says', async () => {
    expect(await findCdkVersion(OLD_CDK, ENV)).toEqual({ version: '2.150.0', from: '--version' });
  });
});

describe('inspectCommand', () => {
  it('finds the old CDK CLI the command would run, and decides restart-based rotation', async () => {
    const { facts, route } = await inspectCommand({
      command: [OLD_CDK, 'watch'],
      cwd: os.tmpdir(),
      env: ENV,
      delivery: 'endpoint',
    });
    expect(facts).toMatchObject({ isCdk: true, cdkVersion: { version: '2.150.0' } });
    expect(route.kind).toBe('restart');
  });

  it("reads cdk.json's profile, and the command's own --profile first", async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'cdk-json-'));
    await writeFile(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.js', profile: 'dev' }));
    const bin = path.join(project, 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    await symlink(FAKE_CDK, path.join(bin, 'cdk'));
    const fromJson = await inspectCommand({
      command: ['cdk', 'watch'],
      cwd: project,
      env: ENV,
      delivery: 'endpoint',
    });
    expect(fromJson.route).toMatchObject({ kind: 'profile', profile: 'dev', from: 'cdk.json' });
    const fromArgs = await inspectCommand({
      command: ['cdk', 'watch', '--profile=ops'],
      cwd: project,
      env: ENV,
      delivery: 'endpoint',
    });
    expect(fromArgs.route).toMatchObject({ kind: 'profile', profile: 'ops', from: 'command' });
    expect(profileFlagOf(['watch', '--', '--profile', 'x'])).toBeUndefined();
  });

  it('finds the cdk.json the credential sources find: the nearest one walking up from a subfolder', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'cdk-json-up-'));
    await writeFile(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.js', profile: 'dev' }));
    const lib = path.join(project, 'lib');
    await mkdir(lib);
    const { route } = await inspectCommand({
      command: [OLD_CDK, 'watch'],
      cwd: lib,
      env: ENV,
      delivery: 'endpoint',
    });
    expect(route).toMatchObject({ kind: 'profile', profile: 'dev', from: 'cdk.json' });
  });
});

describe('childDelivery', () => {
  it('hands a child that reads a profile itself that profile (its own AWS files), whatever --delivery says', () => {
    const profile = decideCredentialRoute({ ...base, cdkJsonProfile: 'dev' });
    expect(childDelivery(profile, 'endpoint')).toEqual({ delivery: 'profile', profile: 'dev' });
    expect(childDelivery(profile, 'env')).toEqual({ delivery: 'profile', profile: 'dev' });
  });

  it('keeps --delivery on the endpoint and restart routes', () => {
    expect(childDelivery(decideCredentialRoute(base), 'endpoint')).toEqual({ delivery: 'endpoint' });
    expect(childDelivery(decideCredentialRoute({ ...base, delivery: 'env' }), 'env')).toEqual({
      delivery: 'env',
    });
  });
});
