/**
 * Counts orders in a sliding window of clock time: at most `limit` orders in any `windowMs`.
 * A ring of the last `limit` order times answers in O(1) without allocating, and reads the time
 * it is given, so a backtest on a simulated clock throttles exactly as live trading would.
 *
 * @example
 * ```ts
 * import { OrderRateWindow } from '@qtp/risk';
 * const window = new OrderRateWindow(2, 1_000);
 * window.record(0);
 * window.record(100);
 * window.wouldExceed(500); // true: a third order inside one second
 * window.wouldExceed(1_000); // false: the first has left the window
 * ```
 */
export class OrderRateWindow {
  /** The most orders the window holds. */
  readonly limit: number;
  /** The window's length, in milliseconds. */
  readonly windowMs: number;
  readonly #times: Float64Array;
  #next = 0;
  #count = 0;

  /** Creates an empty window of `limit` orders per `windowMs` milliseconds. */
  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.#times = new Float64Array(limit);
  }

  /** Returns how many orders were recorded in the window ending at `timeMs`. */
  countAt(timeMs: number): number {
    let count = 0;
    for (let i = 0; i < this.#count; i++) if (this.#times[i]! > timeMs - this.windowMs) count++;
    return count;
  }

  /** Returns whether one more order at `timeMs` would put more than `limit` in the window. */
  wouldExceed(timeMs: number): boolean {
    if (this.#count < this.limit) return false;
    // The ring is full; the oldest time is the one `#next` overwrites next.
    return this.#times[this.#next]! > timeMs - this.windowMs;
  }

  /** Records an order at `timeMs`. */
  record(timeMs: number): void {
    this.#times[this.#next] = timeMs;
    this.#next = (this.#next + 1) % this.limit;
    if (this.#count < this.limit) this.#count++;
  }
}
