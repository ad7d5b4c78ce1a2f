/**
 * The keyword test of the detector (`CREDENTIAL_ERROR_KEYWORDS`, a case-insensitive alternation of
 * plain words) as a byte automaton (Aho-Corasick, fully expanded to a table): it reads a child's raw
 * output at several hundred MB/s with one table load per byte, with no string made from the bytes,
 * and carries its state from one chunk to the next, so a keyword cut by a chunk boundary is still seen.
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
  // Renumbered so that every accepting state comes after every other one (one comparison per byte),
  // plus one more accepting state: an escape introducer inside a possible keyword. Entries hold the
  // state pre-multiplied by 256, so the next index is `entry | byte`.
  const order = [...Array(count).keys()].sort((a, b) => Number(accepting[a]) - Number(accepting[b]));
  const rank = new Int32Array(count);
  order.forEach((state, index) => {
    rank[state] = index;
  });
  const firstAccepting = order.findIndex((state) => accepting[state]);
  const table = new Uint32Array(count * 256);
  const escapeHit = count;
  for (let state = 0; state < count; state++) {
    for (let byte = 0; byte < 256; byte++) {
      const target =
        state !== 0 && (byte === ESC || byte === CSI) ? escapeHit : rank[moves[state * 256 + byte]!]!;
      table[rank[state]! * 256 + byte] = target * 256;
    }
  }
  const limit = firstAccepting * 256;
  const start = rank[0]! * 256;
  return {
    start,
    scan(bytes, state) {
      let entry = state;
      for (let i = 0; i < bytes.length; i++) {
        entry = table[entry | bytes[i]!]!;
        if (entry >= limit) return -1;
      }
      return entry;
    },
  };
}
