/**
 * Reads the repository's Markdown the way the docs tests need it: fenced blocks with their info
 * string (`sh runnable=install`), the sample marker before a block (`<!-- sample: check -->`), links
 * and the anchors GitHub gives headings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function readDoc(relative: string): string {
  return readFileSync(path.join(REPO, relative), 'utf8');
}

export interface FencedBlock {
  /** The info string after the opening fence, e.g. `sh runnable=install`. */
  info: string;
  /** The lines between the fences, joined with `\n`, with a final `\n`. */
  content: string;
  /** 0-based line index of the opening fence, and of the closing one. */
  open: number;
  close: number;
  /** `NAME` from a `<!-- sample: NAME -->` line right before the block (blank lines allowed). */
  sample: string | undefined;
}

const FENCE = /^(`{3,}|~{3,})(.*)$/;
const SAMPLE_MARKER = /^<!--\s*sample:\s*([\w-]+)\s*-->$/;

export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = FENCE.exec(lines[i] ?? '');
    if (!opening) continue;
    const fence = opening[1] ?? '```';
    let close = i + 1;
    while (close < lines.length && !(lines[close] ?? '').startsWith(fence)) close++;
    let before = i - 1;
    while (before >= 0 && (lines[before] ?? '').trim() === '') before--;
    const marker = SAMPLE_MARKER.exec((lines[before] ?? '').trim());
    const body = lines.slice(i + 1, close);
    blocks.push({
      info: (opening[2] ?? '').trim(),
      content: body.length > 0 ? `${body.join('\n')}\n` : '',
      open: i,
      close,
      sample: marker?.[1],
    });
    i = close;
  }
  return blocks;
}

/** `install` for a block whose info string is `sh runnable=install`. */
export function runnableName(block: FencedBlock): string | undefined {
  return /(?:^|\s)runnable=([\w-]+)/.exec(block.info)?.[1];
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a document's headings (outside fenced blocks), duplicates numbered as GitHub does. */
export function anchorsOf(markdown: string): Set<string> {
  const inBlock = new Set<number>();
  for (const block of fencedBlocks(markdown)) for (let i = block.open; i <= block.close; i++) inBlock.add(i);
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  markdown.split('\n').forEach((line, index) => {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading || inBlock.has(index)) return;
    const base = headingAnchor(heading[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  });
  return anchors;
}

/** Link targets written as `[text](target)`, outside fenced blocks. */
export function linkTargets(markdown: string): string[] {
  const blocks = fencedBlocks(markdown);
  const lines = markdown.split('\n');
  for (const block of blocks) for (let i = block.open; i <= block.close; i++) lines[i] = '';
  const prose = lines.join('\n').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
}
