/**
 * Checks for the control protocol's few message shapes, by hand: zod's weight (≈14 MB resident, and
 * its load time) is not worth it on the path of `stop`, `reload` and `status`, which run often and
 * only need to know whether a message has the expected shape (the callers word the error: "a reply
 * of an unknown shape"). Like zod's `safeParse`, a successful check returns a copy holding only the
 * expected keys.
 */
export type Checked<T> = { success: true; data: T } | { success: false };

export interface Shape<T> {
  safeParse(value: unknown): Checked<T>;
}

/** `read` returns the copy, or `undefined` when `value` does not have the shape. */
export function shape<T>(read: (value: unknown) => T | undefined): Shape<T> {
  return {
    safeParse(value) {
      const data = read(value);
      return data === undefined ? { success: false } : { success: true, data };
    },
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

export function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

export function isOneOf<T extends string>(choices: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (choices as readonly string[]).includes(value);
}
