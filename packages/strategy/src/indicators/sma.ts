import type { Indicator } from './types.js';
import { checkPeriod, nanArray } from './validate.js';

/**
 * The simple moving average: the arithmetic mean of the last `period` values, kept as a running
 * sum over a ring buffer, so an update costs O(1) whatever the period.
 *
 * Follows TTR's `SMA(x, n)`: the first value comes at the `period`-th input. See
 * {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { SMA } from '@qtp/strategy';
 * const sma = new SMA(3);
 * sma.update(1);
 * sma.update(2);
 * console.log(sma.update(6)); // 3
 * ```
 */
export class SMA implements Indicator<[value: number], number> {
  /** The number of values averaged. */
  readonly period: number;
  private readonly window: Float64Array;
  private next = 0;
  private count = 0;
  private sum = 0;
  // What the last update overwrote, so that replace() can undo it exactly.
  private undoSum = 0;
  private undoOld = 0;

  /**
   * Creates an SMA over `period` values.
   * @param period - the window length, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.window = new Float64Array(period);
  }

  /** Whether `period` values have been seen. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** The current average, or `undefined` during warm-up. */
  get value(): number | undefined {
    // Derived rather than stored: one store less per update, and the same division gives the same bits.
    return this.count >= this.period ? this.sum / this.period : undefined;
  }

  /** Adds a value and returns the average of the last `period` values, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const slot = this.next;
    // The ring starts zero-filled, so the warm-up needs no branch: the "removed" value is 0.
    const old = this.window[slot]!;
    this.undoSum = this.sum;
    this.undoOld = old;
    this.window[slot] = value;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    this.sum = this.sum + value - old;
    if (++this.count < this.period) return undefined;
    return this.sum / this.period;
  }

  /** Revises the last value and returns the average as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.count === 0) return this.update(value);
    const slot = this.next === 0 ? this.period - 1 : this.next - 1;
    this.window[slot] = this.undoOld;
    this.sum = this.undoSum;
    this.next = slot;
    this.count--;
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.count = 0;
    this.sum = 0;
  }
}

/**
 * Returns the simple moving average of `values` over `period`, NaN for the first `period - 1`
 * entries. Computes the same numbers as {@link SMA}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - the window length, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { sma } from '@qtp/strategy';
 * sma([1, 2, 6, 7], 3); // Float64Array [NaN, NaN, 3, 5]
 * ```
 */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod('period', period);
  const n = values.length;
  const out = nanArray(n);
  // The same additions in the same order as SMA.update, without the ring: the window is the array.
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum = i < period ? sum + values[i]! : sum + values[i]! - values[i - period]!;
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}
