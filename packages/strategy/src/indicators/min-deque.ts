// Internal: the monotonic deque behind RollingMin, RollingMax, Donchian, Stochastic and WilliamsR.

/**
 * The minimum of the last `period` values in amortized O(1): a deque of (index, value) pairs
 * whose values increase from front to back, so the front is the minimum. A push drops the back
 * entries it dominates and the front entry that left the window. The maximum is the minimum of
 * the negated values, which keeps one implementation (negation is exact).
 *
 * A NaN drops every entry and is dropped by none, so it is the minimum while it is in the window,
 * as with `Math.min`.
 */
export class MinDeque {
  readonly period: number;
  /** Number of values pushed since the last reset. */
  count = 0;
  private readonly values: Float64Array;
  private readonly indices: Float64Array;
  private head = 0;
  private size = 0;
  // A push changes head and size and overwrites one slot; saving those undoes it exactly.
  private undoHead = 0;
  private undoSize = 0;
  private undoSlot = 0;
  private undoValue = 0;
  private undoIndex = 0;

  constructor(period: number) {
    this.period = period;
    this.values = new Float64Array(period);
    this.indices = new Float64Array(period);
  }

  /** The minimum of the window; meaningful once `count > 0`. */
  get min(): number {
    return this.values[this.head]!;
  }

  push(value: number): void {
    const period = this.period;
    const values = this.values;
    let head = this.head;
    let size = this.size;
    this.undoHead = head;
    this.undoSize = size;
    const index = this.count++;
    // Only the front can have left the window, and at most one entry per push.
    if (size > 0 && this.indices[head]! <= index - period) {
      head = head + 1 === period ? 0 : head + 1;
      size--;
    }
    while (size > 0) {
      let back = head + size - 1;
      if (back >= period) back -= period;
      const b = values[back]!;
      if (b >= value || Number.isNaN(value)) size--;
      else break;
    }
    let slot = head + size;
    if (slot >= period) slot -= period;
    this.undoSlot = slot;
    this.undoValue = values[slot]!;
    this.undoIndex = this.indices[slot]!;
    values[slot] = value;
    this.indices[slot] = index;
    this.head = head;
    this.size = size + 1;
  }

  /** Undoes the last push exactly. */
  pop(): void {
    this.count--;
    this.values[this.undoSlot] = this.undoValue;
    this.indices[this.undoSlot] = this.undoIndex;
    this.head = this.undoHead;
    this.size = this.undoSize;
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
    this.size = 0;
  }
}
