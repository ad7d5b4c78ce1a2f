/**
 * The suite's one poll helper: tests wait for a condition (a readiness signal) instead of sleeping.
 * Fails with what was awaited, so a timeout in a loaded CI run says what never happened.
 */

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<void> {
  await waitForValue(async () => ((await condition()) ? true : undefined), what, timeoutMs, intervalMs);
}

/** Polls `probe` until it gives a value, and resolves with it; fails naming `what` after `timeoutMs`. */
export async function waitForValue<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string | (() => string),
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${described}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
