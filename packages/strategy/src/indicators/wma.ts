import type { Indicator } from './types.js';
import { checkPeriod, nanArray } from './validate.js';

/**
 * The linearly weighted moving average: weights 1, 2, ..., `period` from the oldest value to the
 * newest, divided by `period * (period + 1) / 2`. The weighted sum is updated from the plain
 * window sum (`weighted += period * value - sum`), so an update costs O(1).
 *
 * Follows TTR's `WMA(x, n)` with its default weights `1:n`. See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { WMA } from '@qtp/strategy';
 * const wma = new WMA(3);
 * wma.update(1);
 * wma.update(2);
 * console.log(wma.update(6)); // (1 + 4 + 18) / 6
 * ```
 */
export class WMA implements Indicator<[value: number], number> {
  /** The number of values weighted. */
  readonly period: number;
  private readonly window: Float64Array;
  private readonly divisor: number;
  private next = 0;
  private count = 0;
  private sum = 0;
  private weighted = 0;
  private current = Number.NaN;
  private undoSum = 0;
  private undoWeighted = 0;
  private undoOld = 0;

  /**
   * Creates a WMA over `period` values.
   * @param period - the window length, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.window = new Float64Array(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  /** Whether `period` values have been seen. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** The current average, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  /** Adds a value and returns the weighted average, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const slot = this.next;
    const old = this.window[slot]!;
    this.undoSum = this.sum;
    this.undoWeighted = this.weighted;
    this.undoOld = old;
    this.window[slot] = value;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    // Every older value loses one unit of weight, the new one enters with weight `period`.
    this.weighted += this.period * value - this.sum;
    this.sum += value - old;
    if (++this.count < this.period) return undefined;
    this.current = this.weighted / this.divisor;
    return this.current;
  }

  /** Revises the last value and returns the average as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.count === 0) return this.update(value);
    const slot = this.next === 0 ? this.period - 1 : this.next - 1;
    this.window[slot] = this.undoOld;
    this.sum = this.undoSum;
    this.weighted = this.undoWeighted;
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
    this.weighted = 0;
    this.current = Number.NaN;
  }
}

/**
 * Returns the linearly weighted moving average of `values`, NaN for the first `period - 1`
 * entries. Computes the same numbers as {@link WMA}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - the window length, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { wma } from '@qtp/strategy';
 * wma([1, 2, 6], 3); // Float64Array [NaN, NaN, 3.8333333333333335]
 * ```
 */
export function wma(values: ArrayLike<number>, period: number): Float64Array {
  const indicator = new WMA(period);
  const out = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = indicator.update(values[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
