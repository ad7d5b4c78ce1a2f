/**
 * The keyword test of the detector (`CREDENTIAL_ERROR_KEYWORDS`, a case-insensitive alternation of
 * plain words) as a byte automaton (Aho-Corasick, fully expanded to a table): it reads a child's raw
 * output with one table load per byte, in four independent lanes per chunk (over twice as fast as
 * one), with no string made from the bytes, and carries its state from one chunk to the next, so a
 * keyword cut by a chunk boundary is still seen.
 *
 * It finds at least every keyword the detector would find in the decoded line. The detector sees the
 * line with ANSI escapes removed and CR as a space; so here CR reads as a space, and an escape
 * introducer (ESC, or the byte 0x9B) met in the middle of a possible keyword counts as a hit: removing
 * the escape could join the two halves. UTF-8 decoding never makes ASCII letters, and the
 * case-insensitive match of an ASCII word only ever matches ASCII letters.
 */
export interface KeywordAutomaton {
  /** The state before any byte (also after a newline: no keyword holds one). */
  readonly start: number;
  /** Reads `bytes` from `state`: -1 as soon as a keyword (or a possible one) is complete, else the new state. */
  scan(bytes: Uint8Array, state: number): number;
}

const SPACE = 0x20;
const CR = 0x0d;
const ESC = 0x1b;
const CSI = 0x9b;
/** The first byte of U+0080–U+00BF in UTF-8, U+009B (CSI) among them. */
const UTF8_C1_LEAD = 0xc2;

/**
 * Builds the automaton for `keywords`: a regex with the `i` flag whose source is words of ASCII
 * letters and spaces separated by `|`, where a `?` makes the character before it optional. Anything else is
 * refused, so a change to the keyword list that this cannot follow fails loudly (at load, in tests).
 */
export function compileKeywordAutomaton(keywords: RegExp): KeywordAutomaton {
  if (!keywords.flags.includes('i')) {
    throw new Error(
      `Expected the keyword regex to be case-insensitive (flag i), got /${keywords.source}/${keywords.flags}.`,
    );
  }
  const words = keywords.source.split('|').flatMap(expandOptional);
  return buildTable(words);
}

/** `access ?key` → `access key`, `accesskey`: `?` makes the character before it optional. */
function expandOptional(alternative: string): string[] {
  if (!/^[a-z ](?:[a-z ]|(?<!\?)\?)*$/i.test(alternative)) {
    throw new Error(
      `Expected keyword alternatives of letters and spaces (\`?\` after one for an optional character), got \`${alternative}\`.`,
    );
  }
  let variants = [''];
  for (let i = 0; i < alternative.length; i++) {
    const char = alternative[i]!.toLowerCase();
    if (alternative[i + 1] === '?') {
      variants = variants.flatMap((variant) => [variant + char, variant]);
      i++;
    } else {
      variants = variants.map((variant) => variant + char);
    }
  }
  return variants.filter((variant) => variant.length > 0);
}

/** The character a byte stands for, for the keywords: ASCII letters folded to lower case, CR as space. */
function folded(byte: number): number {
  if (byte >= 0x41 && byte <= 0x5a) return byte + 0x20;
  return byte === CR ? SPACE : byte;
}

function buildTable(words: readonly string[]): KeywordAutomaton {
  // The trie of the words (states numbered as created; 0 is the root).
  const next: Map<number, number>[] = [new Map()];
  const accepting: boolean[] = [false];
  for (const word of words) {
    let state = 0;
    for (let i = 0; i < word.length; i++) {
      const code = word.charCodeAt(i);
      let child = next[state]!.get(code);
      if (child === undefined) {
        child = next.length;
        next.push(new Map());
        accepting.push(false);
        next[state]!.set(code, child);
      }
      state = child;
    }
    accepting[state] = true;
  }
  // Breadth first, every state's move on every byte: the trie's where it has one, else its failure
  // state's (the longest proper suffix that is also a trie path), which is already complete.
  const count = next.length;
  const moves = new Int32Array(count * 256);
  const failure = new Int32Array(count);
  const queue: number[] = [];
  for (let byte = 0; byte < 256; byte++) {
    const child = next[0]!.get(folded(byte)) ?? 0;
    moves[byte] = child;
    if (child !== 0 && folded(byte) === byte) queue.push(child);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    if (accepting[failure[state]!]) accepting[state] = true;
    for (let byte = 0; byte < 256; byte++) {
      const child = next[state]!.get(folded(byte));
      if (child === undefined) {
        moves[state * 256 + byte] = moves[failure[state]! * 256 + byte]!;
      } else {
        moves[state * 256 + byte] = child;
        if (folded(byte) === byte) {
          failure[child] = moves[failure[state]! * 256 + byte]!;
          queue.push(child);
        }
      }
    }
  }
  // Only states that are no hit get a row, renumbered from 0. Every move to a hit (a keyword, or an
  // escape introducer inside a possible keyword) goes to one more row, at a power of two above all
  // the others, that never leaves: reading on past a hit stays a hit, and whether any of several
  // lanes hit is one test of their OR. Entries hold the row pre-multiplied by 256, so the next index
  // is `entry | byte`.
  const rank = new Int32Array(count).fill(-1);
  let rows = 0;
  for (let state = 0; state < count; state++) if (!accepting[state]) rank[state] = rows++;
  const hitRow = 2 ** Math.ceil(Math.log2(Math.max(rows, 1)));
  const hit = hitRow * 256;
  const table = new Uint32Array(hit + 256).fill(hit);
  for (let state = 0; state < count; state++) {
    if (accepting[state]) continue;
    for (let byte = 0; byte < 256; byte++) {
      // In UTF-8 the C1 introducer U+009B is the two bytes C2 9B: C2 inside a possible keyword keeps
      // the state, so the 9B after it still counts as an escape inside the keyword.
      const target =
        state !== 0 && (byte === ESC || byte === CSI)
          ? hitRow
          : state !== 0 && byte === UTF8_C1_LEAD
            ? rank[state]!
            : accepting[moves[state * 256 + byte]!]
              ? hitRow
              : rank[moves[state * 256 + byte]!]!;
      table[rank[state]! * 256 + byte] = target * 256;
    }
  }
  const automaton: Automaton = {
    table,
    hit,
    start: rank[0]! * 256,
    // No state that is not a hit is deeper than the longest keyword.
    deepest: Math.max(0, ...words.map((word) => word.length)),
  };
  return {
    start: automaton.start,
    scan(bytes, state) {
      const entry =
        bytes.length < LANE_MIN_BYTES
          ? scanBytes(automaton, bytes, 0, bytes.length, state)
          : scanInLanes(automaton, bytes, state);
      return entry >= hit ? -1 : entry;
    },
  };
}

interface Automaton {
  table: Uint32Array;
  /** The entry of the hit row: a power of two, above every other entry. */
  hit: number;
  start: number;
  deepest: number;
}

/**
 * A chunk shorter than this is read one byte after the other: four lanes' warm-up (a keyword's length
 * each) would cost more than they save.
 */
const LANE_MIN_BYTES = 1024;

/** Whether a Uint32Array over bytes reads them as little-endian words (as on x86 and ARM). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `bytes[from..to)` one after the other from `entry`; the entry after them (the hit row's if any hit). */
function scanBytes(
  { table, hit }: Automaton,
  bytes: Uint8Array,
  from: number,
  to: number,
  entry: number,
): number {
  let at = entry;
  for (let i = from; i < to; i++) {
    at = table[at | bytes[i]!]!;
    if (at >= hit) return hit;
  }
  return at;
}

/**
 * Where a lane that must know the state at `at` starts reading, from the start state: far enough back
 * that it has read `deepest` bytes by then, which fixes the state. C2 leaves every state as it is, so
 * it does not count.
 */
function warmUpFrom(bytes: Uint8Array, at: number, deepest: number): number {
  let from = at;
  for (let counted = 0; counted < deepest && from > 0; ) {
    from--;
    if (bytes[from] !== UTF8_C1_LEAD) counted++;
  }
  return from;
}

/**
 * The same answer as `scanBytes` over the whole chunk, faster. Each step waits for the table load of
 * the step before (the state is the next index), which leaves the CPU idle most of the time: here
 * four lanes, each a quarter of the chunk, step in one loop and overlap their loads, and each reads
 * its bytes four at a time from one 32-bit word. Lanes 1–3 start from the start state a keyword's
 * length before their quarter (`warmUpFrom`): from their quarter on they are in the exact state, and
 * before it they can only report a hit that is one (a state a lane reaches stands for a suffix of the
 * real text, so the real state is at least as deep).
 */
function scanInLanes(automaton: Automaton, bytes: Uint8Array, state: number): number {
  const { table, hit, start, deepest } = automaton;
  // Words are read from the first 4-byte-aligned byte of the chunk; the bytes before it go first.
  const head = (4 - (bytes.byteOffset & 3)) & 3;
  const count = (bytes.length - head) >>> 2;
  const quarter = count >>> 2;
  // Lane k reads words[w_k, end_k): from its warm-up (rounded down to a word) to the end of its quarter.
  const end0 = quarter;
  const end1 = 2 * quarter;
  const end2 = 3 * quarter;
  const warm1 = warmUpFrom(bytes, head + 4 * end0, deepest) - head;
  const warm2 = warmUpFrom(bytes, head + 4 * end1, deepest) - head;
  const warm3 = warmUpFrom(bytes, head + 4 * end2, deepest) - head;
  // A warm-up reaching back before the words (a long run of C2) or a big-endian machine: byte by byte.
  if (!LITTLE_ENDIAN || Math.min(warm1, warm2, warm3) < 0) {
    return scanBytes(automaton, bytes, 0, bytes.length, state);
  }
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + head, count);
  let w0 = 0;
  let w1 = warm1 >>> 2;
  let w2 = warm2 >>> 2;
  let w3 = warm3 >>> 2;
  let e0 = scanBytes(automaton, bytes, 0, head, state);
  let e1 = start;
  let e2 = start;
  let e3 = start;
  const steps = Math.min(end0 - w0, end1 - w1, end2 - w2, count - w3);
  for (let step = 0; step < steps && (e0 | e1 | e2 | e3) < hit; step++) {
    const a = words[w0++]!;
    const b = words[w1++]!;
    const c = words[w2++]!;
    const d = words[w3++]!;
    e0 = table[e0 | (a & 0xff)]!;
    e1 = table[e1 | (b & 0xff)]!;
    e2 = table[e2 | (c & 0xff)]!;
    e3 = table[e3 | (d & 0xff)]!;
    e0 = table[e0 | ((a >>> 8) & 0xff)]!;
    e1 = table[e1 | ((b >>> 8) & 0xff)]!;
    e2 = table[e2 | ((c >>> 8) & 0xff)]!;
    e3 = table[e3 | ((d >>> 8) & 0xff)]!;
    e0 = table[e0 | ((a >>> 16) & 0xff)]!;
    e1 = table[e1 | ((b >>> 16) & 0xff)]!;
    e2 = table[e2 | ((c >>> 16) & 0xff)]!;
    e3 = table[e3 | ((d >>> 16) & 0xff)]!;
    e0 = table[e0 | (a >>> 24)]!;
    e1 = table[e1 | (b >>> 24)]!;
    e2 = table[e2 | (c >>> 24)]!;
    e3 = table[e3 | (d >>> 24)]!;
  }
  if ((e0 | e1 | e2 | e3) >= hit) return hit;
  // What the common steps left of each lane, then the bytes after the last whole word.
  if (scanBytes(automaton, bytes, head + 4 * w0, head + 4 * end0, e0) >= hit) return hit;
  if (scanBytes(automaton, bytes, head + 4 * w1, head + 4 * end1, e1) >= hit) return hit;
  if (scanBytes(automaton, bytes, head + 4 * w2, head + 4 * end2, e2) >= hit) return hit;
  return scanBytes(automaton, bytes, head + 4 * w3, bytes.length, e3);
}
