import { describe, expect, it } from 'vitest';
import {
  splitSimpleCommand,
  stripVersion,
  unwrapPackageRunner,
} from '../../src/child/unwrap-package-runner.js';

describe('unwrapPackageRunner', () => {
  it.each([
    [['cdk', 'watch'], { kind: 'direct' }],
    [
      ['/usr/local/bin/npx', 'cdk'],
      { kind: 'binary', runner: 'npx', command: 'cdk', args: [], packageName: 'cdk' },
    ],
    [
      ['npx', '-y', '--registry', 'http://127.0.0.1:1', 'aws-cdk@2.100.0', 'deploy', '--all'],
      {
        kind: 'binary',
        runner: 'npx',
        command: 'aws-cdk',
        args: ['deploy', '--all'],
        packageName: 'aws-cdk',
      },
    ],
    [
      ['npx', '-p', '@scope/tool@1', 'tool', '-v'],
      { kind: 'binary', runner: 'npx', command: 'tool', args: ['-v'], packageName: '@scope/tool' },
    ],
    [['npx', '-c', 'cdk watch'], { kind: 'shell', runner: 'npx -c', script: 'cdk watch' }],
    [
      ['npm', 'x', '--', 'cdk', '-h'],
      { kind: 'binary', runner: 'npm x', command: 'cdk', args: ['-h'], packageName: 'cdk' },
    ],
    [
      ['npm', 'run', 'watch', '--', '-v'],
      { kind: 'script', runner: 'npm run', scriptName: 'watch', args: ['-v'] },
    ],
    [
      ['npm', 'run-script', '--silent', 'dev'],
      { kind: 'script', runner: 'npm run-script', scriptName: 'dev', args: [] },
    ],
    [['npm', 'start'], { kind: 'script', runner: 'npm start', scriptName: 'start', args: [] }],
    [['yarn', 'watch'], { kind: 'script', runner: 'yarn', scriptName: 'watch', args: [] }],
    [
      ['pnpm', 'exec', 'cdk', 'watch'],
      { kind: 'binary', runner: 'pnpm exec', command: 'cdk', args: ['watch'], packageName: 'cdk' },
    ],
    [['bash', '-lc', 'cdk watch'], { kind: 'shell', runner: 'bash -lc', script: 'cdk watch' }],
    [['bash', './dev.sh'], { kind: 'direct' }],
  ])('%j', (argv, expected) => {
    const [command, ...args] = argv as [string, ...string[]];
    expect(unwrapPackageRunner(command, args)).toEqual(expected);
  });

  it.each([[['npx']], [['npx', '--yes']], [['npm', 'install']], [['npm', 'run']], [['yarn']]])(
    '%j is refused with a reason',
    (argv) => {
      const [command, ...args] = argv as [string, ...string[]];
      const result = unwrapPackageRunner(command, args);
      expect(result.kind).toBe('unsupported');
      expect(result.kind === 'unsupported' && result.reason).toMatch(/\S/);
    },
  );
});

describe('splitSimpleCommand', () => {
  it.each([
    ['cdk watch --hotswap-fallback', ['cdk', 'watch', '--hotswap-fallback']],
    ['  exec   cdk   watch ', ['cdk', 'watch']],
    ['cdk watch --app=bin/app.js', ['cdk', 'watch', '--app=bin/app.js']],
  ])('%j → words', (text, words) => {
    expect(splitSimpleCommand(text)).toEqual(words);
  });

  it.each([
    'npm run build && cdk watch',
    'cdk watch | tee log',
    'cdk watch "--context=a b"',
    'AWS_PROFILE=dev cdk watch',
    'cdk watch $FLAGS',
    'cdk watch > out.log',
    '',
  ])('%j needs a shell', (text) => {
    expect(splitSimpleCommand(text)).toBeUndefined();
  });
});

describe('stripVersion', () => {
  it.each([
    ['aws-cdk@2.1', 'aws-cdk'],
    ['aws-cdk', 'aws-cdk'],
    ['@scope/pkg@1.0.0', '@scope/pkg'],
    ['@scope/pkg', '@scope/pkg'],
  ])('%s → %s', (spec, name) => {
    expect(stripVersion(spec)).toBe(name);
  });
});
