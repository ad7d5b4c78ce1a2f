/**
 * The output samples in README.md and docs/usage.md (a fenced block after `<!-- sample: NAME -->`)
 * are what the built CLI really prints: `check`, the status line, `status`, and the prompt. Each is
 * produced here against the fake STS and compared with the sample, numbers, durations and line
 * wrapping aside (they change with the time and the path). When the wording changes, regenerate:
 *
 *   UPDATE_README_SAMPLES=1 npx vitest run test/docs/readme-samples.test.ts --maxWorkers=1
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSts } from '../support/fake-sts.js';
import {
  assertBuilt,
  CLI,
  cleanUpWatchSessions,
  createWatchProject,
  FAKE_CDK,
  NO_PROBES,
  startWatch,
  type WatchProject,
} from '../support/watch-session.js';
import { fencedBlocks, REPO, readDoc } from './markdown.js';

const DOCS = ['README.md', 'docs/usage.md'];
const SAMPLES = ['check', 'status-line', 'status', 'prompt'] as const;
type SampleName = (typeof SAMPLES)[number];

/** Where the samples say the project is, instead of the test's temp directory. */
const SHOWN_PROJECT = '/home/me/my-cdk-app';
const REGION = { AWS_REGION: 'eu-west-1' };
const ARN = 'arn:aws:sts::123456789012:assumed-role/Developer/dev-session';

/** What must match: the words. Numbers, durations and where lines wrap may differ. */
function shape(text: string): string {
  return text
    .replace(/\d+/g, '0')
    .replace(/\b0(?:ms|[hms])(?: ?0(?:ms|[ms]))*\b/g, 'DURATION')
    .replace(/\s+/g, ' ')
    .trim();
}

let sts: FakeSts;
const real = new Map<SampleName, string>();

async function project(): Promise<WatchProject> {
  const created = await createWatchProject(sts);
  // `watch` with no command runs the project's own cdk: here the stand-in, so it prints nothing.
  await mkdir(path.join(created.dir, 'node_modules', '.bin'), { recursive: true });
  await symlink(FAKE_CDK, path.join(created.dir, 'node_modules', '.bin', 'cdk'));
  return created;
}

async function cli(where: WatchProject, args: string[]): Promise<string> {
  const run = await execa(process.execPath, [CLI, ...args], {
    cwd: where.dir,
    env: { ...where.env, ...REGION },
    extendEnv: false,
    reject: false,
  });
  return run.stdout;
}

function shown(where: WatchProject, text: string): string {
  return `${text.split(where.dir).join(SHOWN_PROJECT).trimEnd()}\n`;
}

beforeAll(async () => {
  assertBuilt();
  sts = await FakeSts.start();

  const working = await project();
  await working.writeCredentials(sts.issueKey({ arn: ARN, ttlMs: 47 * 60_000 + 30_000 }));
  real.set('check', shown(working, await cli(working, ['check'])));
  const session = startWatch(working, { command: null, args: ['--check-schedule', NO_PROBES], env: REGION });
  const line = await session.waitForOutput(/^\[cred-supervisor\] running .*$/m, { timeoutMs: 20_000 });
  real.set('status-line', `${line[0]}\n`);
  real.set('status', shown(working, await cli(working, ['status'])));

  const empty = await project();
  const waiting = startWatch(empty, { command: null, args: ['--check-schedule', NO_PROBES], env: REGION });
  const prompt = await waiting.waitForOutput(/^── cred-supervisor: credentials needed[\s\S]*?\n─{20,}$/m, {
    timeoutMs: 20_000,
  });
  real.set('prompt', shown(empty, prompt[0]));
  if (process.env.UPDATE_README_SAMPLES === '1') await updateSamples();
}, 60_000);

afterAll(async () => {
  await cleanUpWatchSessions();
  await sts?.close();
});

/** Rewrites every sample block with the real output (UPDATE_README_SAMPLES=1). */
async function updateSamples(): Promise<void> {
  for (const doc of DOCS) {
    const lines = readDoc(doc).split('\n');
    for (const block of fencedBlocks(lines.join('\n')).reverse()) {
      const output = block.sample && real.get(block.sample as SampleName);
      if (output) lines.splice(block.open + 1, block.close - block.open - 1, ...output.trimEnd().split('\n'));
    }
    await writeFile(path.join(REPO, doc), lines.join('\n'));
  }
}

const samples = DOCS.flatMap((doc) =>
  fencedBlocks(readDoc(doc))
    .filter((block) => block.sample !== undefined)
    .map((block, index) => ({ doc, name: block.sample ?? '', index })),
);

/** The sample's text as the file holds it now (after an update, the new text). */
function sampleText(doc: string, index: number): string {
  return fencedBlocks(readDoc(doc)).filter((block) => block.sample !== undefined)[index]?.content ?? '';
}

describe('output samples in the documentation', () => {
  it('every sample names output this test produces, and each output is shown somewhere', () => {
    expect(
      samples.map((s) => s.name).filter((name) => !(SAMPLES as readonly string[]).includes(name)),
    ).toEqual([]);
    expect(new Set(samples.map((s) => s.name))).toEqual(new Set(SAMPLES));
  });

  it.each(samples)('$doc: the $name sample is what the CLI prints', ({ doc, name, index }) => {
    const content = sampleText(doc, index);
    const output = real.get(name as SampleName) ?? '';
    expect(output, `no real ${name} output`).not.toBe('');
    expect(shape(content).split(' ').slice(0, 4), 'the first words').toEqual(
      shape(output).split(' ').slice(0, 4),
    );
    expect(shape(content)).toBe(shape(output));
  });

  it('the normalisation keeps words: a changed word is a difference', () => {
    expect(shape('Time left    47m (until 2026-11-28T02:43:33.000Z)')).toBe(
      shape('Time left 11h 58m\n(until 2026-12-05T10:59:34.957Z)'),
    );
    expect(shape('up 1s')).toBe(shape('up 980ms'));
    expect(shape('✔ Account 123456789012')).not.toBe(shape('✔ Acount 123456789012'));
  });
});
