import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectCredentialError } from '../../src/detect/detect-credential-error.js';
import { createLineSplitter, type LineSplitterOptions } from '../../src/detect/line-splitter.js';

function collect(options?: LineSplitterOptions) {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line), options);
  return { lines, splitter };
}

/** Cuts `bytes` at the given offsets (sorted, deduplicated, inside the buffer). */
function cutAt(bytes: Buffer, offsets: number[]): Buffer[] {
  const cuts = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  return chunks;
}

describe('createLineSplitter', () => {
  it('emits complete lines without their \\n or \\r\\n, and the partial last line on flush', () => {
    const { lines, splitter } = collect();
    splitter.write(Buffer.from('first\nsecond\r\nthi'));
    expect(lines).toEqual(['first', 'second']);
    splitter.write(Buffer.from('rd'));
    expect(lines).toEqual(['first', 'second']);
    splitter.flush();
    expect(lines).toEqual(['first', 'second', 'third']);
  });

  it('keeps empty lines, and flush emits nothing when no partial line is pending', () => {
    const { lines, splitter } = collect();
    splitter.write('a\n\n\r\nb\n');
    splitter.flush();
    splitter.flush();
    expect(lines).toEqual(['a', '', '', 'b']);
  });

  it('removes a \\r that arrives in the chunk before its \\n, and keeps a \\r inside a line', () => {
    const { lines, splitter } = collect();
    splitter.write('deploying...\rdone\r');
    splitter.write('\n');
    expect(lines).toEqual(['deploying...\rdone']);
  });

  it('decodes a character cut at every possible byte between two chunks', () => {
    const text = 'héllo € 😀 ✨ ❌ 日本';
    const bytes = Buffer.from(`${text}\n`, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const { lines, splitter } = collect();
      splitter.write(bytes.subarray(0, cut));
      splitter.write(bytes.subarray(cut));
      expect(lines, `cut at byte ${cut}`).toEqual([text]);
    }
  });

  it('decodes characters fed one byte at a time', () => {
    const { lines, splitter } = collect();
    for (const byte of Buffer.from('❌ ExpiredToken 😀\n')) splitter.write(Uint8Array.of(byte));
    expect(lines).toEqual(['❌ ExpiredToken 😀']);
  });

  it('turns invalid UTF-8 into U+FFFD without throwing, also at the end of the stream', () => {
    const { lines, splitter } = collect();
    splitter.write(Buffer.from([0x66, 0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x0a, 0xe2, 0x82]));
    splitter.flush();
    expect(lines).toEqual(['f\uFFFD\uFFFD', '\uFFFD(', '\uFFFD']);
  });

  it('accepts strings and Uint8Arrays that are views into a larger buffer', () => {
    const { lines, splitter } = collect();
    const backing = new TextEncoder().encode('xxone\ntwoyy');
    splitter.write(new Uint8Array(backing.buffer, 2, 7));
    splitter.write('\nthree\n');
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('copies what it keeps, so a producer may reuse its chunk buffer', () => {
    const { lines, splitter } = collect();
    const chunk = Buffer.from('AAAA');
    splitter.write(chunk);
    chunk.write('BBBB');
    splitter.write(chunk);
    splitter.write('\n');
    expect(lines).toEqual(['AAAABBBB']);
  });

  it('holds a 5 MB line without a newline in bounded memory and emits both ends of it', () => {
    const maxLineBytes = 4096;
    const { lines, splitter } = collect({ maxLineBytes });
    const prefix = '[SDK error] CloudFormation.CreateChangeSet({"TemplateBody":"';
    const suffix = '"}) -> ExpiredToken: The security token included in the request is expired';
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let total = 0;
    splitter.write(prefix);
    total += prefix.length;
    for (let written = 0; written < 5 * 1024 * 1024; written += chunk.length) {
      splitter.write(chunk);
      total += chunk.length;
      expect(splitter.bufferedBytes).toBeLessThanOrEqual(maxLineBytes);
    }
    splitter.write(suffix);
    total += suffix.length;
    expect(splitter.bufferedBytes).toBeLessThanOrEqual(maxLineBytes);
    expect(lines).toEqual([]);

    splitter.flush();
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.startsWith(prefix)).toBe(true);
    expect(line.endsWith(suffix)).toBe(true);
    expect(line).toContain(`[… ${total - maxLineBytes} bytes omitted …]`);
    expect(line.length).toBeLessThan(maxLineBytes + 100);
    expect(splitter.bufferedBytes).toBe(0);
    expect(detectCredentialError(line)).toBe('expired');
  });

  it('emits an over-long line in one piece when its newline comes in the same chunk', () => {
    const { lines, splitter } = collect({ maxLineBytes: 16 });
    splitter.write('0123456789abcdefghijklmnopqrstuvwxyz\nshort\n');
    expect(lines).toEqual(['01234567 [… 20 bytes omitted …] stuvwxyz', 'short']);
  });

  it('does not cut a character in two at either end of a shortened line', () => {
    const { lines, splitter } = collect({ maxLineBytes: 16 });
    // 'é' is 2 bytes and '€' is 3: the 8-byte head ends inside one, the 8-byte tail starts inside one.
    splitter.write(`abcdefgé${'-'.repeat(40)}€abcdef\n`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^abcdefg \[… \d+ bytes omitted …\] abcdef$/);
  });

  it('names the option and the bad value when maxLineBytes is unusable', () => {
    for (const bad of [-1, 0, 1.5, Number.NaN, '64k']) {
      expect(() => createLineSplitter(() => {}, { maxLineBytes: bad as number })).toThrow(
        /`maxLineBytes` option to be an integer of at least 16, got `.*`/,
      );
    }
  });

  it('gives the same lines however the bytes are cut into chunks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (rawLines, offsets, crlf) => {
          const expected = rawLines.map((line) => line.replace(/[\r\n]/g, ''));
          const bytes = Buffer.from(
            expected.map((line) => `${line}${crlf ? '\r\n' : '\n'}`).join(''),
            'utf8',
          );
          const { lines, splitter } = collect();
          for (const chunk of cutAt(bytes, offsets)) splitter.write(chunk);
          splitter.flush();
          expect(lines).toEqual(expected);
        },
      ),
    );
  });

  it('never throws on arbitrary bytes and emits one line per \\n plus the partial one (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (raw, offsets) => {
          const bytes = Buffer.from(raw);
          const { lines, splitter } = collect({ maxLineBytes: 32 });
          for (const chunk of cutAt(bytes, offsets)) splitter.write(chunk);
          splitter.flush();
          const newlines = bytes.filter((byte) => byte === 0x0a).length;
          const partial = bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? 1 : 0;
          expect(lines).toHaveLength(newlines + partial);
          expect(splitter.bufferedBytes).toBe(0);
        },
      ),
    );
  });
});
