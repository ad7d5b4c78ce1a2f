import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectCredentialError } from '../../src/detect/detect-credential-error.js';
import { createKeywordGatedSplitter } from '../../src/detect/keyword-gated-splitter.js';
import { createLineSplitter } from '../../src/detect/line-splitter.js';

/** What the detector finds in `chunks`, line by line. */
function detected(chunks: Buffer[], gated: boolean): string[] {
  const found: string[] = [];
  const onLine = (line: string) => {
    const kind = detectCredentialError(line);
    if (kind) found.push(`${kind}:${line}`);
  };
  const splitter = gated ? createKeywordGatedSplitter(onLine) : createLineSplitter(onLine);
  for (const chunk of chunks) splitter.write(chunk);
  splitter.flush();
  return found;
}

function cut(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

const LINES = [
  'DevStack: deploying... [1/1]',
  '\x1b[32m✨  Synthesis time: 0.11s\x1b[0m',
  'ExpiredToken: The security token included in the request is expired',
  '2026-11-28T01:00:00.000Z\tabc-123\tINFO\tExpiredToken: The security token included in the request is expired',
  'InvalidClientTokenId: The security token included in the request is invalid.',
  'x'.repeat(3000),
  'Could not load credentials from any providers',
  'résumé ünïcödé line',
];

describe('keyword-gated splitter', () => {
  it('finds exactly what the plain splitter finds, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...LINES), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (lines, cuts, endsWithNewline) => {
          const text = lines.join('\n') + (endsWithNewline ? '\n' : '');
          expect(detected(cut(text, cuts), true)).toEqual(detected(cut(text, cuts), false));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('judges a line on its start even when its keyword arrives chunks later', () => {
    // A relayed Lambda log line (not our credentials) whose error text comes two chunks later: the
    // skipped chunks' unfinished line is kept, so the detector sees the whole line and its prefix.
    const chunks = [
      Buffer.from('filler line\n[/aws/lambda/DevStack-SyncFn-9Z8Y7X6W] '),
      Buffer.from('12:04:10 PM DynamoDB ClientError: '),
      Buffer.from('ExpiredTokenException - The security token included in the request is expired\n'),
    ];
    expect(detected(chunks, true)).toEqual([]);
    expect(detected(chunks, false)).toEqual([]);
    expect(
      detected([Buffer.from('ExpiredToken: The security token '), Buffer.from('is expired\n')], true),
    ).toEqual(['expired:ExpiredToken: The security token is expired']);
  });
});
