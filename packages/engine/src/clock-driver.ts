/**
 * What moves a simulated clock: the engine calls {@link ClockDriver.advanceTo} with each market
 * data event's time before it handles the event, so timers due on the way fire in order. A
 * `SimulatedClock` is its own driver; a live clock has none.
 *
 * @example
 * ```ts
 * import { SimulatedClock } from '@qtp/core';
 * import type { ClockDriver } from '@qtp/engine';
 * const clock = new SimulatedClock();
 * const seen: number[] = [];
 * const driver: ClockDriver = {
 *   advanceTo(timeMs) {
 *     seen.push(timeMs);
 *     clock.advanceTo(timeMs);
 *   },
 * };
 * ```
 */
export interface ClockDriver {
  /** Moves the clock forward to `timeMs` (epoch milliseconds), firing the timers due up to it. */
  advanceTo(timeMs: number): void;
}
