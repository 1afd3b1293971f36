/**
 * Platform time for the resilience and observability wrappers.
 *
 * cockatiel and bottleneck keep their own timers on the platform's `setTimeout` and read
 * `Date.now()`; the few timers QTP adds around them (a rate-limit window, the end of a pause)
 * must run on the same time base, or they would drift apart from the library under a simulated
 * clock. This module is the one place that reaches for them, so tests drive everything at once
 * with fake timers.
 *
 * @internal
 * @module
 */

/** Returns the platform time in epoch milliseconds. @internal */
export function platformNow(): number {
  return Date.now();
}

/**
 * Calls `callback` after `delayMs` on a timer that does not keep the process alive, and returns a
 * function that cancels it. @internal
 */
export function platformTimer(callback: () => void, delayMs: number): () => void {
  const handle = setTimeout(callback, Math.max(0, delayMs));
  if (typeof handle === 'object' && handle !== null && 'unref' in handle) handle.unref();
  return () => clearTimeout(handle);
}
