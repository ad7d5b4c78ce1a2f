import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandNotFoundError, UnsupportedCommandError } from '../../src/child/command-errors.js';
import { type CommandLookupFs, nodeCommandFs, resolveCommand } from '../../src/child/resolve-command.js';
import { makeTempDir } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
let project: string;
let nested: string;
let pathDir: string;

function writeExecutable(file: string, mode = 0o755): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
}

beforeEach(() => {
  temp = makeTempDir('resolve-command-');
  project = path.join(temp.dir, 'project');
  nested = path.join(project, 'packages', 'infra');
  pathDir = path.join(temp.dir, 'usr-bin');
  mkdirSync(nested, { recursive: true });
  writeExecutable(path.join(project, 'node_modules', '.bin', 'cdk'));
  writeExecutable(path.join(pathDir, 'cdk'));
  writeExecutable(path.join(pathDir, 'terraform'));
});
afterEach(() => temp.remove());

/**
 * The real file system, seen only inside this test's temp dir: the walk up from cwd must not find
 * whatever another program left in a parent of the system temp dir (a /tmp/node_modules, say).
 */
const scopedFs = (): CommandLookupFs => ({
  isExecutableFile: (file) => file.startsWith(temp.dir) && nodeCommandFs.isExecutableFile(file),
  readTextFile: (file) => (file.startsWith(temp.dir) ? nodeCommandFs.readTextFile(file) : undefined),
});

const resolveIn = (cwd: string, command: string, ...args: string[]) =>
  resolveCommand({ command, args, cwd, env: { PATH: pathDir }, fs: scopedFs() });

describe('resolveCommand: plain commands', () => {
  it('finds a bare name in node_modules/.bin, walking up from cwd, before PATH', () => {
    expect(resolveIn(nested, 'cdk', 'watch', '--hotswap-fallback')).toEqual({
      file: path.join(project, 'node_modules', '.bin', 'cdk'),
      args: ['watch', '--hotswap-fallback'],
      foundIn: 'node_modules/.bin',
      warnings: [],
    });
  });

  it('falls back to PATH, skipping non-executable files on the way', () => {
    writeExecutable(path.join(nested, 'node_modules', '.bin', 'terraform'), 0o644);
    expect(resolveIn(nested, 'terraform', 'apply')).toMatchObject({
      file: path.join(pathDir, 'terraform'),
      args: ['apply'],
      foundIn: 'PATH',
    });
  });

  it('takes a path as given, relative to cwd', () => {
    const script = writeExecutable(path.join(nested, 'bin', 'dev-server'));
    expect(resolveIn(nested, './bin/dev-server')).toMatchObject({ file: script, foundIn: 'given-path' });
    expect(resolveIn(temp.dir, script)).toMatchObject({ file: script, foundIn: 'given-path' });
  });

  it('reports a missing command with where it looked and how to fix it', () => {
    const outside = path.join(temp.dir, 'elsewhere');
    mkdirSync(outside);
    let error: unknown;
    try {
      resolveCommand({
        command: 'cdk',
        args: ['watch'],
        cwd: outside,
        env: { PATH: `${pathDir}-missing` },
        fs: scopedFs(),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CommandNotFoundError);
    const notFound = error as CommandNotFoundError;
    expect(notFound.code).toBe('COMMAND_NOT_FOUND');
    expect(notFound.message).toContain('`cdk`');
    expect(notFound.message).toContain(`node_modules/.bin from \`${outside}\``);
    expect(notFound.message).toContain(`${pathDir}-missing`);
    expect(notFound.message).toContain('npm i -D aws-cdk');
    expect(notFound.message).toContain('-- /path/to/cdk');
    expect(notFound.searched).toContain(path.join(outside, 'node_modules', '.bin', 'cdk'));
  });

  it('says to chmod a given path that is not executable', () => {
    const script = writeExecutable(path.join(nested, 'run.sh'), 0o644);
    expect(() => resolveIn(nested, './run.sh')).toThrow(`chmod +x ${script}`);
  });

  it('never looks in the current directory through an empty PATH entry', () => {
    const outside = path.join(temp.dir, 'elsewhere');
    writeExecutable(path.join(outside, 'tool'));
    expect(() =>
      resolveCommand({
        command: 'tool',
        args: [],
        cwd: outside,
        env: { PATH: `:${pathDir}:` },
        fs: scopedFs(),
      }),
    ).toThrow(CommandNotFoundError);
  });

  it("finds this project's real aws-cdk binary", () => {
    const repoTest = fileURLToPath(new URL('..', import.meta.url));
    const resolved = resolveCommand({ command: 'cdk', args: [], cwd: repoTest, env: { PATH: '' } });
    expect(resolved.file).toBe(path.resolve(repoTest, '..', 'node_modules', '.bin', 'cdk'));
  });
});

describe('resolveCommand: wrappers are replaced by the real binary', () => {
  it('npx cdk → node_modules/.bin/cdk, with a warning that says why', () => {
    const resolved = resolveIn(nested, 'npx', '--yes', 'cdk', 'watch');
    expect(resolved).toMatchObject({
      file: path.join(project, 'node_modules', '.bin', 'cdk'),
      args: ['watch'],
    });
    expect(resolved.warnings).toHaveLength(1);
    expect(resolved.warnings[0]).toContain('instead of `npx --yes cdk watch`');
    expect(resolved.warnings[0]).toContain('SIGINT');
  });

  it('npx aws-cdk@2 → the bin of the aws-cdk package; npx -p aws-cdk cdk → the same', () => {
    const bin = writeExecutable(path.join(project, 'node_modules', 'aws-cdk', 'bin', 'cdk'));
    writeJson(path.join(project, 'node_modules', 'aws-cdk', 'package.json'), {
      name: 'aws-cdk',
      bin: { cdk: 'bin/cdk' },
    });
    expect(resolveIn(nested, 'npx', 'aws-cdk@2', 'deploy')).toMatchObject({
      file: bin,
      args: ['deploy'],
      foundIn: 'package-bin',
    });
    expect(resolveIn(nested, 'npm', 'exec', '--package=aws-cdk', '--', 'cdk', 'watch')).toMatchObject({
      file: path.join(project, 'node_modules', '.bin', 'cdk'),
      args: ['watch'],
    });
  });

  it('npm run <script> → the script command, with the extra arguments after --', () => {
    writeJson(path.join(nested, 'package.json'), { scripts: { watch: 'cdk watch --hotswap-fallback' } });
    const resolved = resolveIn(nested, 'npm', 'run', 'watch', '--', '--verbose');
    expect(resolved).toMatchObject({
      file: path.join(project, 'node_modules', '.bin', 'cdk'),
      args: ['watch', '--hotswap-fallback', '--verbose'],
    });
    expect(resolved.warnings[0]).toContain('the script `cdk watch --hotswap-fallback`');
  });

  it('follows a script that itself uses npx', () => {
    writeJson(path.join(nested, 'package.json'), { scripts: { dev: 'npx cdk watch' } });
    const resolved = resolveIn(nested, 'pnpm', 'dev');
    expect(resolved).toMatchObject({
      file: path.join(project, 'node_modules', '.bin', 'cdk'),
      args: ['watch'],
    });
    expect(resolved.warnings).toHaveLength(2);
  });

  it('refuses an npm script that needs a shell, and suggests passing the command itself', () => {
    writeJson(path.join(nested, 'package.json'), { scripts: { watch: 'npm run build && cdk watch' } });
    expect(() => resolveIn(nested, 'npm', 'run', 'watch')).toThrow(UnsupportedCommandError);
    expect(() => resolveIn(nested, 'npm', 'run', 'watch')).toThrow(
      /needs a shell.*-- cdk watch --hotswap-fallback/,
    );
  });

  it('refuses an npm script that does not exist', () => {
    writeJson(path.join(nested, 'package.json'), { scripts: {} });
    expect(() => resolveIn(nested, 'npm', 'run', 'watch')).toThrow(/no script `watch` in the package.json/);
  });

  it('sh -c with a simple command → the command; with shell syntax → the shell, with a warning', () => {
    writeExecutable(path.join(pathDir, 'sh'));
    expect(resolveIn(nested, 'sh', '-c', 'cdk watch')).toMatchObject({
      file: path.join(project, 'node_modules', '.bin', 'cdk'),
      args: ['watch'],
    });
    const shell = resolveIn(nested, 'sh', '-c', 'cdk synth && cdk watch');
    expect(shell).toMatchObject({
      file: path.join(pathDir, 'sh'),
      args: ['-c', 'cdk synth && cdk watch'],
      foundIn: 'shell',
    });
    expect(shell.warnings[0]).toContain('whole process group');
  });

  it('rejects an empty command', () => {
    expect(() => resolveIn(nested, '  ')).toThrow(/Expected a command to run, got an empty string/);
  });
});
