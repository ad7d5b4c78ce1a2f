/**
 * JSON text laid out as Python's `json.dumps(obj)` lays it out (`", "` and `": "` separators, non-ASCII
 * escaped as `\uXXXX`), which is how the AWS CLI writes the SSO cache. Byte-for-byte the same file
 * means no tool that compares or diffs the cache sees a difference in who wrote it.
 */

function pythonString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function pythonValue(value: unknown): string {
  if (typeof value === 'string') return pythonString(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonValue).join(', ')}]`;
  if (typeof value === 'object') return pythonObject(value as Record<string, unknown>);
  throw new TypeError(`Cannot write ${typeof value} as JSON`);
}

function pythonObject(value: Record<string, unknown>): string {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonValue(v)}`).join(', ')}}`;
}

export function pythonJsonDumps(value: Record<string, unknown>): string {
  return pythonObject(value);
}

/** A time as the AWS CLI writes it in the SSO cache: `%Y-%m-%dT%H:%M:%SZ`, UTC, whole seconds. */
export function cliTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
