/**
 * Telling a JSON document that is cut short (still being written) from one that is wrong, and saying
 * where a syntax error is without quoting the text around it (V8's messages quote the input, which
 * may be a secret).
 */

/**
 * Walks the text's brackets outside strings: calls `onDepth(depth, index)` after every bracket, and
 * stops when it returns true. Returns whether the walk ended inside a string, and the final depth.
 */
function walkBrackets(
  text: string,
  onDepth: (depth: number, index: number) => boolean = () => false,
): { inString: boolean; depth: number } {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (onDepth(depth, i)) break;
    }
  }
  return { inString, depth };
}

/** True when the text ends inside a string or with brackets still open. */
export function jsonLooksTruncated(text: string): boolean {
  const { inString, depth } = walkBrackets(text);
  return inString || depth > 0;
}

/**
 * Where the text goes on after a first top-level object or array has closed (`{…}{`, `{…}\n{…}`), as
 * an offset; undefined when it does not. Such a file is two writes appended, not one being written: it
 * will never become valid by waiting.
 */
export function jsonTrailingTextOffset(text: string): number | undefined {
  let offset: number | undefined;
  walkBrackets(text, (depth, index) => {
    if (depth !== 0) return false;
    const rest = text.slice(index + 1);
    const skipped = rest.length - rest.trimStart().length;
    offset = skipped === rest.length ? undefined : index + 1 + skipped;
    return true;
  });
  return offset;
}

/** `line 3, column 7` for an offset into the text. */
export function textLocation(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** `line 3, column 7` from a JSON.parse error, when V8 gives a position; never the text itself. */
export function jsonErrorLocation(error: unknown, text: string): string | undefined {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return undefined;
  return textLocation(text, Number(position));
}

/** `string`, `number`, `null`, `array`, `object`, … — the kind of a value, never the value. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
